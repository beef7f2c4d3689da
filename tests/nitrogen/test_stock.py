"""The run-out forecast from the booked schedule, the refill alert, and the nitrogen page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.nitrogen.models import ConsumptionRate, Dewar, LevelReading
from cryoclinic.nitrogen.services import refill_alerts, stock
from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.scheduling.models import Appointment, Practitioner, Room

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")
DAY0 = dt.date(2026, 12, 7)


@pytest.fixture
def dewar(demo) -> Dewar:
    clinic = current_clinic()
    vessel = Dewar.objects.create(
        clinic=clinic,
        name="СДС-35",
        capacity_l=35,
        reserve_l=2,
        boil_off_l_per_day="0.5",
        boil_off_source="measured by the clinic (test)",
        refill_lead_days=2,
    )
    LevelReading.objects.create(
        dewar=vessel, at=dt.datetime.combine(DAY0, dt.time(8), tzinfo=MOSCOW), kind="fill", level_l=20
    )
    ConsumptionRate.objects.create(
        clinic=clinic,
        procedure="facial-cryomassage",
        litres_per_session="0.5",
        provenance="clinic_measured",
        source="level readings, test",
    )
    practitioner, room = Practitioner.objects.first(), Room.objects.first()
    clients = list(Client.objects.all()[:4])
    for day in range(14):  # four sessions a day, every day
        for slot, client in enumerate(clients):
            start = dt.datetime.combine(DAY0 + dt.timedelta(days=day), dt.time(10 + slot), tzinfo=MOSCOW)
            Appointment.objects.create(
                clinic=clinic,
                client=client,
                procedure="facial-cryomassage",
                practitioner=practitioner,
                room=room,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=20),
            )
    return vessel


def test_forecast_from_the_booked_schedule_matches_the_hand_computed_example(dewar):
    # 20 L, 0.5 L/day boil-off + 4 × 0.5 L sessions = 2.5 L/day: 2.5 L left after day 7, 0 after day 8.
    current = stock(dewar, today=DAY0)
    assert current.forecast.run_out_date == DAY0 + dt.timedelta(days=7)
    assert current.forecast.levels_l[0] == (DAY0, 17.5)
    assert current.unrated_procedures == ()


def test_a_refill_alert_is_queued_once_within_the_lead_time(dewar):
    assert refill_alerts(DAY0) == 0  # run-out on day 8, order by day 6: not yet
    assert refill_alerts(DAY0 + dt.timedelta(days=5)) == 1
    assert refill_alerts(DAY0 + dt.timedelta(days=5)) == 0
    alert = OutboxMessage.objects.get(kind="nitrogen_refill")
    assert "14.12.2026" in alert.body and "2026-12-12" in alert.body


def test_procedures_without_a_rate_are_named_not_guessed(dewar):
    ConsumptionRate.objects.all().delete()
    current = stock(dewar, today=DAY0)
    assert current.unrated_procedures == ("facial-cryomassage",)
    assert current.forecast.levels_l[0] == (DAY0, 19.5)  # only the boil-off
    assert current.forecast.run_out_date == DAY0 + dt.timedelta(days=35)  # 20 − 36 × 0.5 = 2 L, the reserve


def test_staff_record_a_reading_and_bad_levels_are_refused(client, users, dewar):
    client.force_login(users["reception"])
    page = client.get("/en/staff/nitrogen/").content.decode()
    assert "СДС-35" in page
    refused = client.post("/en/staff/nitrogen/", {"dewar": dewar.pk, "kind": "reading", "level_l": "99"})
    assert refused.status_code == 422 and LevelReading.objects.count() == 1
    client.post("/en/staff/nitrogen/", {"dewar": dewar.pk, "kind": "reading", "level_l": "12.5"})
    assert LevelReading.objects.order_by("-id").first().level_l == 12.5
