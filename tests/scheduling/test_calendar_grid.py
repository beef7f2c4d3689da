"""The reception calendar's time grid (GET /api/calendar) and the rules a move keeps (PATCH /api/appointments)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Absence, Appointment, ClosedDay, Practitioner
from cryoclinic.scheduling.planning import TimeWindow

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
EVENINGS = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))


@pytest.fixture
def course(demo):
    today = timezone.localdate()
    return services.book_course(
        current_clinic(),
        services.PlanInput(
            client=Client.objects.order_by("id").first(), procedure="facial-cryomassage",
            start=today + dt.timedelta(days=7 - today.weekday()), availability=EVENINGS,
        ),
        by=None,
    )


def _first(course) -> Appointment:
    return course.appointments.get(session_number=1)


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(MSK)


def _patch(client, appointment: Appointment, **body):
    return client.patch(f"/api/appointments/{appointment.pk}", json.dumps(body, default=str),
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def _week(client, day: dt.date, by: str = "practitioner") -> dict:
    monday = day - dt.timedelta(days=day.weekday())
    response = client.get(f"/api/calendar?start={monday}&end={monday + dt.timedelta(days=7)}&by={by}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_grid_has_a_column_per_practitioner_and_every_session_of_the_week(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    grid = _week(client, _local(first.starts_at).date())
    assert {c["id"] for c in grid["columns"]} == set(Practitioner.objects.values_list("pk", flat=True))
    shown = {e["id"]: e for e in grid["entries"]}
    assert first.pk in shown
    entry = shown[first.pk]
    assert entry["column"] == first.practitioner_id and entry["status"] == "booked"
    assert entry["course"] == course.pk and entry["session_number"] == 1 and entry["sessions_in_course"] == 10
    assert dt.datetime.fromisoformat(entry["start"]) == first.starts_at
    assert entry["start"].endswith("+03:00") and grid["offset"] == "+03:00"
    assert grid["opens"].startswith("09:00") and grid["closes"].startswith("21:00")


def test_rooms_as_columns(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    grid = _week(client, _local(first.starts_at).date(), by="room")
    assert next(e for e in grid["entries"] if e["id"] == first.pk)["column"] == first.room_id


def test_closed_time_is_shaded_closed_days_and_absences_included(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    day = _local(first.starts_at).date()
    monday = day - dt.timedelta(days=day.weekday())
    wednesday = monday + dt.timedelta(days=2)
    ClosedDay.objects.create(date=wednesday, reason="inventory")
    absent = Practitioner.objects.order_by("pk").first()
    Absence.objects.create(practitioner=absent, starts_at=dt.datetime.combine(monday, dt.time(12), MSK),
                           ends_at=dt.datetime.combine(monday, dt.time(14), MSK))
    shades = _week(client, day)["shades"]
    whole_wednesday = [s for s in shades if s["column"] is None and s["start"].startswith(str(wednesday))
                       and s["end"].startswith(str(wednesday + dt.timedelta(days=1)))]
    assert whole_wednesday, "a closed day is shaded from midnight to midnight"
    mornings = [s for s in shades if s["column"] is None and s["start"].startswith(f"{monday}T00:00")]
    assert mornings and mornings[0]["end"].startswith(f"{monday}T09:00"), "before opening is shaded"
    assert any(s["column"] == absent.pk and s["reason"] for s in shades if s["start"].startswith(f"{monday}T12:00"))


def test_bad_ranges_are_422_and_clients_may_not_see_the_grid(client, users, course, link_client):
    client.force_login(users["reception"])
    assert client.get("/api/calendar?start=2026-12-07&end=2026-12-07").status_code == 422
    assert client.get("/api/calendar?start=2026-12-07&end=2027-01-30").status_code == 422
    assert client.get("/api/calendar?start=monday&end=2026-12-08").status_code == 422
    assert client.get("/api/calendar?start=2026-12-07&end=2026-12-08&by=chair").status_code == 422
    far = client.get("/api/calendar?start=0001-01-01&end=0001-01-07")
    assert far.status_code == 422 and far.json()["errors"][0]["field"] == "start"
    link_client(course.client, users["client"])
    client.force_login(users["client"])
    assert client.get("/api/calendar?start=2026-12-07&end=2026-12-08").status_code == 403


def test_a_move_to_free_time_inside_the_rules_is_saved_and_replans_the_rest(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    later = first.starts_at + dt.timedelta(minutes=45)
    response = _patch(client, first, starts_at=later.isoformat())
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.starts_at == later


def test_a_move_outside_opening_hours_is_refused_with_the_rule(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    night = dt.datetime.combine(_local(first.starts_at).date(), dt.time(22), MSK)
    response = _patch(client, first, starts_at=night.isoformat())
    assert response.status_code == 422
    assert "opening hours" in response.json()["errors"][0]["message"]
    first.refresh_from_db()
    assert _local(first.starts_at).time() != dt.time(22)


def test_a_move_onto_a_closed_day_is_refused(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    day = _local(first.starts_at).date() + dt.timedelta(days=1)
    ClosedDay.objects.create(date=day, reason="holiday")
    response = _patch(client, first, starts_at=dt.datetime.combine(day, dt.time(18), MSK).isoformat())
    assert response.status_code == 422 and "closed" in response.json()["errors"][0]["message"]


def test_a_course_session_keeps_its_interval_from_the_one_before(client, users, course):
    client.force_login(users["reception"])
    second = course.appointments.get(session_number=2)
    first_day = _local(_first(course).starts_at).date()
    too_soon = dt.datetime.combine(first_day, dt.time(20), MSK)  # the same day as session 1
    response = _patch(client, second, starts_at=too_soon.isoformat())
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "days after the one before" in message and "knowledge base" in message
    assert course.appointments.get(session_number=2).starts_at == second.starts_at


def test_a_move_to_another_practitioner_column(client, users, course):
    client.force_login(users["reception"])
    first = _first(course)
    other = next(
        p for p in Practitioner.objects.exclude(pk=first.practitioner_id).order_by("pk")
        if "facial-cryomassage" in p.procedures
    )
    response = _patch(client, first, practitioner=other.pk)
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.practitioner_id == other.pk


def test_a_move_to_a_practitioner_of_no_such_kind_is_404(client, users, course):
    client.force_login(users["reception"])
    response = _patch(client, _first(course), practitioner=987654)
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "practitioner"
