"""What the planner knows of a clinic (`services.clinic_spec`) is read once and cached; every change to the
clinic's staff, hours, rooms or closed days is planned with at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Absence, ClosedDay, OpeningHours, Practitioner, Room, WorkingHours

pytestmark = pytest.mark.django_db


def test_the_clinics_planning_data_is_read_once(demo, django_assert_num_queries):
    clinic = current_clinic()
    services.clinic_spec(clinic)
    with django_assert_num_queries(0):
        services.clinic_spec(clinic)


def test_every_change_to_staff_hours_rooms_and_closed_days_is_seen_at_once(demo):
    clinic = current_clinic()
    spec = services.clinic_spec
    holiday = timezone.localdate() + dt.timedelta(days=30)
    ClosedDay.objects.create(date=holiday, reason="holiday")
    assert holiday in spec(clinic).closed_days
    practitioner = Practitioner.objects.order_by("pk").first()
    starts = timezone.now() + dt.timedelta(days=3)
    Absence.objects.create(practitioner=practitioner, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    mine = next(p for p in spec(clinic).practitioners if p.id == practitioner.pk)
    assert any(a.start == starts for a in mine.absences)
    hours = WorkingHours.objects.filter(practitioner=practitioner).order_by("pk").first()
    hours.ends = dt.time(12)
    hours.save()
    mine = next(p for p in spec(clinic).practitioners if p.id == practitioner.pk)
    assert any(h.weekday == hours.weekday and h.end == dt.time(12) for h in mine.hours)
    practitioner.procedures = ["scalp-darsonvalization"]
    practitioner.save()
    mine = next(p for p in spec(clinic).practitioners if p.id == practitioner.pk)
    assert mine.procedures == frozenset({"scalp-darsonvalization"})
    OpeningHours.objects.filter(weekday=0).delete()
    assert all(w.weekday != 0 for w in spec(clinic).opening_hours)
    room = Room.objects.create(name="Кабинет 9")
    assert room.pk in {r.id for r in spec(clinic).rooms}
    room.delete()
    assert room.pk not in {r.id for r in spec(clinic).rooms}
