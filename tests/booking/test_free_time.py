"""`GET /api/clinics/{id}/slots`: a live clinic's free time for one session, computed by the planner from the live
calendar on every call; bounded, and refused with the field named."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling.models import Absence, Appointment, OpeningHours, Practitioner, Room

from .conftest import MASSAGE, monday

pytestmark = pytest.mark.django_db


def _slots(client, clinic_id: int, first: dt.date, last: dt.date | None = None, procedure: str = MASSAGE):
    last = last or first
    return client.get(f"/api/clinics/{clinic_id}/slots",
                      {"procedure": procedure, "from": first.isoformat(), "to": last.isoformat()})


def test_free_time_lies_in_opening_hours_and_is_public(client, clinic_id):
    response = _slots(client, clinic_id, monday())
    assert response.status_code == 200, response.content
    body = response.json()
    tz = ZoneInfo(body["time_zone"])
    hours = {(h.opens, h.closes) for h in OpeningHours.objects.filter(weekday=0)}
    starts = [dt.datetime.fromisoformat(s["start"]).astimezone(tz) for s in body["slots"]]
    assert starts and all(any(o <= s.time() and (s + dt.timedelta(minutes=20)).time() <= c for o, c in hours)
                          for s in starts)


def test_a_booking_takes_its_time_out_of_the_answer_at_once(client, clinic_id):
    """Live, never a copy: fill one start on every practitioner and it is gone from the next answer."""
    day = monday()
    first = dt.datetime.fromisoformat(_slots(client, clinic_id, day).json()["slots"][0]["start"])
    record = Client.objects.order_by("id").first()
    end = first + dt.timedelta(minutes=20)
    practitioners = list(Practitioner.objects.order_by("id"))
    for practitioner, room in zip(practitioners, Room.objects.order_by("id"), strict=False):
        Appointment.objects.create(client=record, procedure=MASSAGE, practitioner=practitioner, room=room,
                                   starts_at=first, ends_at=end)
    for practitioner in practitioners[Room.objects.count():]:  # more practitioners than rooms: the rest away
        Absence.objects.create(practitioner=practitioner, starts_at=first, ends_at=end)
    after = [dt.datetime.fromisoformat(s["start"]) for s in _slots(client, clinic_id, day).json()["slots"]]
    assert first not in after


def test_the_part_of_today_gone_is_not_offered(client, clinic_id):
    today = timezone.localdate()
    for slot in _slots(client, clinic_id, today).json()["slots"]:
        assert dt.datetime.fromisoformat(slot["start"]) > timezone.now()


@pytest.mark.parametrize(("shift_from", "shift_to", "field"), [(-1, 0, "from"), (3, 1, "to"), (0, 31, "to")])
def test_a_bad_or_unbounded_range_is_a_422_naming_the_field(client, clinic_id, shift_from, shift_to, field):
    today = timezone.localdate()
    response = _slots(client, clinic_id, today + dt.timedelta(days=shift_from), today + dt.timedelta(days=shift_to))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_a_malformed_date_or_a_missing_procedure_is_a_422(client, clinic_id):
    response = client.get(f"/api/clinics/{clinic_id}/slots", {"procedure": MASSAGE, "from": "31.12.2026", "to": "x"})
    assert response.status_code == 422 and {e["field"] for e in response.json()["errors"]} >= {"from", "to"}
    response = client.get(f"/api/clinics/{clinic_id}/slots", {"from": "2030-01-01", "to": "2030-01-02"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "procedure"


def test_an_unknown_clinic_or_a_procedure_not_offered_is_a_404(client, clinic_id):
    assert _slots(client, 987654, monday()).status_code == 404
    response = _slots(client, clinic_id, monday(), procedure="cryodestruction")
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "procedure"


def test_a_clinic_not_yet_live_has_no_free_time(client, clinic_id):
    Clinic.objects.filter(pk=current_clinic().pk).update(status=Clinic.Status.PENDING)
    assert _slots(client, clinic_id, monday()).status_code == 404


def test_an_unknown_procedure_is_a_422(client, clinic_id):
    response = _slots(client, clinic_id, monday(), procedure="botox")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "procedure"
