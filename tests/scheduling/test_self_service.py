"""A client cancels or moves their own session online while the clinic's notice allows; past it they are told
whom to call. Pages and API keep the same rule (scheduling/self_service.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client
from cryoclinic.clients.phones import format_phone
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import signals
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room

pytestmark = pytest.mark.django_db
MASSAGE = "facial-cryomassage"


@pytest.fixture
def mine(demo, users, link_client) -> Client:
    record = Client.objects.order_by("pk").first()
    link_client(record, users["client"])
    return record


@pytest.fixture
def heard():
    received: list[dict] = []

    def listen(sender, **kwargs):
        received.append(kwargs)

    signals.appointment_cancelled.connect(listen)
    yield received
    signals.appointment_cancelled.disconnect(listen)


def _session(client: Client, hours_ahead: float, *, practitioner: Practitioner | None = None) -> Appointment:
    start = (timezone.now() + dt.timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    course = Course.objects.filter(client=client, procedure=MASSAGE).first() or Course.objects.create(
        client=client, procedure=MASSAGE, rules={}, knowledge_version="1"
    )  # one open course of a procedure per client: a second session joins it
    return Appointment.objects.create(
        client=client, procedure=MASSAGE, practitioner=practitioner or Practitioner.objects.order_by("pk").first(),
        room=Room.objects.order_by("pk").first(), starts_at=start, ends_at=start + dt.timedelta(minutes=20),
        course=course, session_number=course.appointments.count() + 1,
    )


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_client_cancels_their_session_within_the_notice_and_the_cancellation_is_announced(
    client, users, mine, heard
):
    session = _session(mine, 48)
    client.force_login(users["client"])
    response = client.post(f"/en/account/sessions/{session.pk}/cancel/", follow=True)
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert "is cancelled" in response.content.decode()
    assert [(h["appointment"].pk, h["within_notice"], h["by"]) for h in heard] == [(session.pk, True, users["client"])]
    assert AuditEvent.objects.filter(action="cancel", subject_id=str(session.pk)).exists()


def test_past_the_notice_the_client_cannot_cancel_online_and_is_told_whom_to_call(client, users, mine, heard):
    session = _session(mine, 3)
    client.force_login(users["client"])
    response = client.post(f"/en/account/sessions/{session.pk}/cancel/", follow=True)
    session.refresh_from_db()
    assert session.status == "booked" and heard == []
    clinic = current_clinic()
    page = response.content.decode()
    assert "can no longer be changed online" in page and clinic.name in page


def test_the_course_page_offers_changes_only_within_the_notice_and_a_phone_past_it(client, users, mine):
    early, late = _session(mine, 48), _session(mine, 3)
    client.force_login(users["client"])
    page = client.get("/en/account/courses/").content.decode()
    assert f'data-testid="move-{early.pk}"' in page and f'data-testid="cancel-{early.pk}"' in page
    assert f'data-testid="move-{late.pk}"' not in page
    assert "To change it now, call" in page


def test_a_client_moves_their_session_to_a_free_time(client, users, mine):
    session = _session(mine, 48)
    new_start = session.starts_at + dt.timedelta(days=1)
    client.force_login(users["client"])
    assert client.get(f"/en/account/sessions/{session.pk}/move/").status_code == 200
    response = client.post(f"/en/account/sessions/{session.pk}/move/", {"starts_at": _local(new_start)})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == new_start and session.ends_at == new_start + dt.timedelta(minutes=20)
    assert AuditEvent.objects.filter(action="move", subject_id=str(session.pk)).exists()


def test_a_move_onto_a_taken_time_is_refused_naming_the_field_and_changes_nothing(client, users, mine):
    session = _session(mine, 48)
    other = Client.objects.exclude(pk=mine.pk).first()
    taken = _session(other, 72)
    client.force_login(users["client"])
    response = client.post(f"/en/account/sessions/{session.pk}/move/", {"starts_at": _local(taken.starts_at)})
    assert response.status_code == 422
    assert "That time is taken" in response.context["form"].errors["starts_at"][0]
    before = session.starts_at
    session.refresh_from_db()
    assert session.starts_at == before


def test_a_move_into_the_notice_window_or_a_bad_date_is_refused(client, users, mine):
    session = _session(mine, 48)
    client.force_login(users["client"])
    soon = timezone.now() + dt.timedelta(hours=2)
    response = client.post(f"/en/account/sessions/{session.pk}/move/", {"starts_at": _local(soon)})
    assert response.status_code == 422 and "at least 24 hours" in response.context["form"].errors["starts_at"][0]
    garbage = client.post(f"/en/account/sessions/{session.pk}/move/", {"starts_at": "next tuesday"})
    assert garbage.status_code == 422 and garbage.context["form"].errors["starts_at"]
    before = session.starts_at
    session.refresh_from_db()
    assert session.starts_at == before


def test_past_the_notice_the_move_page_sends_the_client_back_with_the_phone(client, users, mine):
    session = _session(mine, 3)
    client.force_login(users["client"])
    response = client.get(f"/en/account/sessions/{session.pk}/move/", follow=True)
    assert "can no longer be changed online" in response.content.decode()


def test_another_clients_session_is_not_found(client, users, mine):
    other = _session(Client.objects.exclude(pk=mine.pk).first(), 48)
    client.force_login(users["client"])
    assert client.post(f"/en/account/sessions/{other.pk}/cancel/").status_code == 404
    assert client.get(f"/en/account/sessions/{other.pk}/move/").status_code == 404
    other.refresh_from_db()
    assert other.status == "booked"


def test_staff_cannot_use_the_clients_pages(client, users, mine):
    session = _session(mine, 48)
    client.force_login(users["reception"])
    assert client.post(f"/en/account/sessions/{session.pk}/cancel/").status_code == 403


def test_the_api_lets_a_client_move_within_the_notice(client, users, mine):
    session = _session(mine, 48)
    new_start = session.starts_at + dt.timedelta(days=1)
    client.force_login(users["client"])
    response = client.patch(
        f"/api/appointments/{session.pk}", {"starts_at": new_start.isoformat()}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert session.starts_at == new_start


def test_the_api_refuses_a_client_past_the_notice_with_409_naming_the_phone(client, users, mine, heard):
    session = _session(mine, 3)
    client.force_login(users["client"])
    cancel = client.patch(f"/api/appointments/{session.pk}", {"status": "cancelled"}, content_type="application/json")
    move = client.patch(
        f"/api/appointments/{session.pk}", {"starts_at": (session.starts_at + dt.timedelta(days=2)).isoformat()},
        content_type="application/json",
    )
    assert cancel.status_code == 409 and cancel.json()["errors"][0]["field"] == "status"
    assert move.status_code == 409 and move.json()["errors"][0]["field"] == "starts_at"
    assert format_phone(current_clinic().phone) in cancel.json()["errors"][0]["message"]
    session.refresh_from_db()
    assert session.status == "booked" and heard == []


def test_the_api_refuses_a_client_marking_a_session_done(client, users, mine):
    session = _session(mine, 48)
    client.force_login(users["client"])
    response = client.patch(f"/api/appointments/{session.pk}", {"status": "done"}, content_type="application/json")
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == "booked"


def test_the_api_names_a_bad_time_with_422(client, users, mine):
    session = _session(mine, 48)
    client.force_login(users["client"])
    response = client.patch(
        f"/api/appointments/{session.pk}", {"starts_at": "soon"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "starts_at"


def test_staff_moves_are_not_bound_by_the_clients_notice(client, users, mine):
    session = _session(mine, 3)
    client.force_login(users["reception"])
    response = client.patch(
        f"/api/appointments/{session.pk}", {"status": "cancelled"}, content_type="application/json"
    )
    assert response.status_code == 200


def test_a_session_the_client_moved_is_reminded_at_its_new_time(client, users, mine):
    from cryoclinic.notifications.models import OutboxMessage
    from cryoclinic.scheduling.reminders import fill_outbox

    session = _session(mine, 72)
    local = timezone.localtime(session.starts_at).replace(hour=11, minute=0)
    Appointment.objects.filter(pk=session.pk).update(starts_at=local, ends_at=local + dt.timedelta(minutes=20))
    new_start = local + dt.timedelta(days=1)
    client.force_login(users["client"])
    client.post(f"/en/account/sessions/{session.pk}/move/", {"starts_at": _local(new_start)})
    fill_outbox(now=new_start - dt.timedelta(hours=20))
    reminders = OutboxMessage.objects.filter(kind="session_reminder", client=mine)
    assert reminders.exists()
    assert all(f"{new_start:%H:%M}" in m.body for m in reminders)
