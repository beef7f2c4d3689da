"""`/api/courses`: the clinic's courses with their sessions, and cancelling a whole course in one call (one
transaction, nothing re-planned, done sessions kept); another clinic's course does not exist."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db.models.signals import pre_save
from django.utils import timezone

from cryoclinic.accounts import tokens
from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room

pytestmark = pytest.mark.django_db
RULES = {"sessions": 10, "min_gap_days": 2, "max_gap_days": 3, "session_duration_min": 20}
NOW = timezone.now


def _course(make_user, record: Client, days: list[tuple[str, float]], procedure: str = "facial-cryomassage") -> Course:
    """A course of `record` whose session n has the status and starts the number of days from now given."""
    practitioner = Practitioner.objects.first() or Practitioner.objects.create(
        user=make_user(None, f"doctor-of-{state.current_clinic().slug}"), display_name="Dr. Frost",
        procedures=[procedure])
    room = Room.objects.first() or Room.objects.create(name="Room 1")
    course = Course.objects.create(client=record, procedure=procedure, rules=RULES, knowledge_version="test")
    for number, (status, in_days) in enumerate(days, start=1):
        start = NOW().replace(microsecond=0) + dt.timedelta(days=in_days)
        Appointment.objects.create(
            client=record, procedure=procedure, practitioner=practitioner, room=room, course=course,
            session_number=number, starts_at=start, ends_at=start + dt.timedelta(minutes=20), status=status)
    return course


def _cancel(client, course_id: int, reason: str = "the client moved to another city", **headers: str):
    return client.post(f"/api/courses/{course_id}/cancel", json.dumps({"reason": reason}),
                       content_type="application/json", headers=headers)


def _statuses(course: Course) -> list[str]:
    return list(course.appointments.order_by("session_number").values_list("status", flat=True))


@pytest.fixture
def record() -> Client:
    return Client.objects.create(full_name="Anna Morozova", phone="+79120000001")


def test_cancelling_a_course_cancels_every_booked_session_at_once(client, users, demo):
    """A course booked through the API, its first session done: one call cancels the other nine, none re-planned."""
    first = Client.objects.order_by("id").first()
    client.force_login(users["reception"])
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    booked = client.post("/api/courses", json.dumps({
        "client": first.pk, "procedure": "facial-cryomassage", "start": monday.isoformat(),
        "availability": [{"weekday": d, "start": "18:00", "end": "21:00"} for d in range(6)]}),
        content_type="application/json").json()
    course = Course.objects.get(pk=booked["id"])
    Appointment.objects.filter(course=course, session_number=1).update(status=Appointment.Status.DONE)
    before = set(Appointment.objects.values_list("pk", "starts_at"))

    response = _cancel(client, course.pk)

    assert response.status_code == 200, response.content
    assert _statuses(course) == ["done"] + ["cancelled"] * 9
    assert set(Appointment.objects.values_list("pk", "starts_at")) == before  # nothing re-planned or moved
    course.refresh_from_db()
    assert (course.status, course.cancel_reason, course.cancelled_by) == (
        "cancelled", "the client moved to another city", users["reception"])
    body = response.json()
    assert body["status"] == "cancelled" and len(body["cancelled_sessions"]) == 9
    assert [s["status"] for s in body["sessions"]] == _statuses(course)
    event = AuditEvent.objects.get(action="cancel", subject_type="scheduling.course")
    assert event.actor == users["reception"] and "9 sessions" in event.detail


def test_a_cancellation_that_fails_midway_changes_nothing(client, users, make_user, record):
    course = _course(make_user, record, [("booked", 2), ("booked", 5)])

    def fail(sender, instance, **kwargs):
        raise RuntimeError("the database went away")

    pre_save.connect(fail, sender=Course)
    try:
        with pytest.raises(RuntimeError):
            services.cancel_course(course, reason="test", by=users["admin"])
    finally:
        pre_save.disconnect(fail, sender=Course)
    course.refresh_from_db()
    assert course.status == "active" and _statuses(course) == ["booked", "booked"]


def test_a_session_already_begun_keeps_its_status_for_staff_to_record(client, users, make_user, record):
    course = _course(make_user, record, [("done", -3), ("no_show", -1), ("booked", -0.005), ("booked", 2)])
    client.force_login(users["admin"])
    assert _cancel(client, course.pk).status_code == 200
    assert _statuses(course) == ["done", "no_show", "booked", "cancelled"]


def test_recording_the_begun_session_after_a_cancellation_re_plans_nothing(client, users, make_user, record):
    course = _course(make_user, record, [("booked", -0.005), ("booked", 2), ("booked", 5)])
    services.cancel_course(course, reason="client's request", by=users["admin"])
    begun = course.appointments.get(session_number=1)
    services.change_appointment(begun, status=Appointment.Status.NO_SHOW, by=users["admin"])
    assert _statuses(course) == ["no_show", "cancelled", "cancelled"]
    assert course.appointments.count() == 3


def test_cancelling_a_cancelled_course_is_a_409_and_changes_nothing(client, users, make_user, record):
    course = _course(make_user, record, [("booked", 2)])
    client.force_login(users["admin"])
    assert _cancel(client, course.pk, "first").status_code == 200
    again = _cancel(client, course.pk, "second")
    assert again.status_code == 409 and "already cancelled" in again.json()["errors"][0]["message"]
    course.refresh_from_db()
    assert course.cancel_reason == "first"
    assert AuditEvent.objects.filter(action="cancel").count() == 1


@pytest.mark.parametrize(("reason", "status"), [("   ", 422), ("", 422), ("x" * 301, 422)])
def test_a_cancellation_without_a_reason_is_a_422_naming_it(client, users, make_user, record, reason, status):
    course = _course(make_user, record, [("booked", 2)])
    client.force_login(users["reception"])
    response = _cancel(client, course.pk, reason)
    assert response.status_code == status and response.json()["errors"][0]["field"] == "reason"
    assert _statuses(course) == ["booked"]


def test_a_course_of_another_clinic_is_a_404_and_nothing_changes(client, users, make_user, other_clinic):
    with state.activate(other_clinic):
        theirs = _course(make_user, Client.objects.create(full_name="Olga Belova", phone="+79120000002"),
                         [("booked", 2)])
    client.force_login(users["admin"])
    response = _cancel(client, theirs.pk)
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}
    with state.activate(other_clinic):
        assert Course.objects.get(pk=theirs.pk).status == "active" and _statuses(theirs) == ["booked"]
    assert AuditEvent.objects.filter(actor=users["admin"], action="not_found").exists()


def test_courses_are_listed_with_their_sessions_and_filtered(client, users, make_user, record):
    done = _course(make_user, record, [("done", -3)], procedure="cryodestruction")
    active = _course(make_user, record, [("booked", 2), ("booked", 5)])
    other = _course(make_user, Client.objects.create(full_name="Boris Lebedev", phone="+79120000003"),
                    [("booked", 8)])
    client.force_login(users["practitioner"])

    def ids(**params) -> list[int]:
        return [row["id"] for row in client.get("/api/courses", params).json()["items"]]

    assert ids() == [other.pk, active.pk, done.pk]  # newest first
    assert ids(client=record.pk) == [active.pk, done.pk]
    assert ids(procedure="cryodestruction") == [done.pk]
    services.cancel_course(active, reason="test", by=users["admin"])
    assert ids(status="cancelled") == [active.pk]
    row = client.get("/api/courses", {"client": record.pk, "limit": 1}).json()
    assert row["count"] == 2 and [s["index"] for s in row["items"][0]["sessions"]] == [1, 2]
    assert client.get("/api/courses", {"status": "lost"}).json()["errors"][0]["field"] == "status"


def test_a_client_lists_only_their_own_courses(client, users, make_user, record):
    own = _course(make_user, Client.objects.get(user=users["client"]), [("booked", 2)])
    _course(make_user, record, [("booked", 4)])
    client.force_login(users["client"])
    assert [row["id"] for row in client.get("/api/courses").json()["items"]] == [own.pk]
    assert client.get("/api/courses", {"client": record.pk}).json()["count"] == 0


def test_a_token_lists_and_cancels_only_its_clinics_courses(client, users, make_user, record, other_clinic):
    ours = _course(make_user, record, [("booked", 2)])
    with state.activate(other_clinic):
        theirs = _course(make_user, Client.objects.create(full_name="Olga Belova", phone="+79120000002"),
                         [("booked", 2)])
    bearer = {"Authorization": f"Bearer {tokens.issue(users['reception'], 'crm')[1]}"}
    listed = client.get("/api/courses", headers=bearer).json()
    assert [row["id"] for row in listed["items"]] == [ours.pk]
    assert _cancel(client, theirs.pk, **bearer).status_code == 404
    assert _cancel(client, ours.pk, **bearer).status_code == 200
