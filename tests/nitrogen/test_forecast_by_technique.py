"""The run-out forecast uses the booked schedule with each session's technique: a hand-computed example."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.nitrogen.models import ConsumptionRate, Dewar, LevelReading
from cryoclinic.nitrogen.services import rate_for, refill_alerts, stock
from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.scheduling.models import Appointment, Clinic, Practitioner, Room

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")
DAY0 = dt.date(2026, 12, 7)  # a Monday


def _rate(clinic: Clinic, technique: str, litres: str) -> None:
    ConsumptionRate.objects.create(
        clinic=clinic,
        procedure="facial-cryomassage",
        technique=technique,
        litres_per_session=litres,
        provenance="clinic_measured",
        source="level readings, test",
    )


@pytest.fixture
def vessel(demo) -> Dewar:
    clinic = current_clinic()
    dewar = Dewar.objects.create(
        clinic=clinic,
        name="СДС-35",
        capacity_l=35,
        reserve_l=3,
        boil_off_l_per_day="0.5",
        boil_off_source="measured by the clinic (test)",
        refill_lead_days=3,
    )
    LevelReading.objects.create(
        dewar=dewar, at=dt.datetime.combine(DAY0, dt.time(8), tzinfo=MOSCOW), kind="fill", level_l=30
    )
    _rate(clinic, "cotton_swab", "0.25")
    _rate(clinic, "pressure_device", "0.75")
    practitioner, room = Practitioner.objects.first(), Room.objects.first()
    client = Client.objects.first()
    day_plan = [(10, "cotton_swab", "booked"), (11, "cotton_swab", "booked"), (12, "pressure_device", "booked"),
                (13, "pressure_device", "cancelled")]
    for day in range(30):
        for hour, technique, status in day_plan:
            start = dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(hour), tzinfo=MOSCOW)
            Appointment.objects.create(
                clinic=clinic, client=client, procedure="facial-cryomassage", practitioner=practitioner,
                room=room, starts_at=start, ends_at=start + dt.timedelta(minutes=20), technique=technique,
                status=status,
            )
    return dewar


def test_run_out_and_refill_alert_follow_the_booked_techniques(vessel):
    """Hand computation.

    Capacity 35 L, filled to 30 L on Monday 7 December 2026, reserve 3 L, boil-off 0.5 L/day, refill lead 3 days.
    Booked every day: two cotton-swab sessions at 0.25 L and one device session at 0.75 L (a cancelled device
    session each day does not count). Each day takes 0.5 + 2 × 0.25 + 0.75 = 1.75 L, so the level at the end of
    day n is 30 − 1.75 n: day 15 ends at 3.75 L (above the reserve), day 16 at 2.0 L (at or below 3 L).
    Run-out: day 16 = 22 December 2026. Order the refill 3 days ahead: by 19 December; the alert is queued
    on 19 December and not on the 18th.
    (Ignoring the techniques — the highest rate, 0.75 L, for every session — would give 2.75 L/day and
    a run-out on day 10, 16 December.)
    """
    current = stock(vessel, today=DAY0)
    levels = dict(current.forecast.levels_l)
    assert levels[DAY0] == 28.25
    assert levels[DAY0 + dt.timedelta(days=14)] == 3.75
    assert levels[DAY0 + dt.timedelta(days=15)] == 2.0
    assert current.forecast.run_out_date == dt.date(2026, 12, 22)
    assert current.forecast.refill_by(vessel.refill_lead_days) == dt.date(2026, 12, 19)
    assert refill_alerts(dt.date(2026, 12, 18)) == 0
    assert refill_alerts(dt.date(2026, 12, 19)) == 1
    assert "22.12.2026" in OutboxMessage.objects.get(kind="nitrogen_refill").body


def test_sessions_of_a_technique_without_a_rate_are_named_not_guessed(vessel):
    ConsumptionRate.objects.filter(technique="pressure_device").delete()
    current = stock(vessel, today=DAY0)
    assert current.unrated_procedures == ("facial-cryomassage (pressure_device)",)
    assert dict(current.forecast.levels_l)[DAY0] == 29.0  # 30 − 0.5 boil-off − 2 × 0.25


def test_rate_lookup_prefers_the_technique_then_the_any_technique_rate_then_the_highest():
    rates = {("facial-cryomassage", "cotton_swab"): 0.25, ("facial-cryomassage", "pressure_device"): 0.75}
    assert rate_for(rates, "facial-cryomassage", "cotton_swab") == 0.25
    assert rate_for(rates, "facial-cryomassage", "") == 0.75  # technique unknown: err towards running out early
    assert rate_for(rates, "facial-cryomassage", "other") is None
    assert rate_for({**rates, ("facial-cryomassage", ""): 0.4}, "facial-cryomassage", "") == 0.4
    assert rate_for({**rates, ("facial-cryomassage", ""): 0.4}, "facial-cryomassage", "other") == 0.4
    assert rate_for(rates, "cryodestruction", "") is None
