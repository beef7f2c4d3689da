"""Demo history, so the reports have something to show: two past courses and a vessel's readings. Idempotent.

Every person and every figure here is fictional: the vessel's boil-off and the per-session litres are
demo values, not a datasheet's or a publication's, and are marked so.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.directory.services import clinic_price_rub
from cryoclinic.nitrogen.models import ConsumptionRate, Dewar, LevelReading
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room
from cryoclinic.scheduling.services import course_rules

DEMO_SOURCE = "demo value (fictional), not a measurement"
DEWAR_NAME = "Дьюар СДС-35 (демо)"
MASSAGE = "facial-cryomassage"
BOIL_OFF_L_PER_DAY = 0.35
LITRES = {"cotton_swab": 0.4, "pressure_device": 0.6}
# Course plans as (days since the first session, status); the gaps show the interval rule kept and broken.
FINISHED = [(0, "done"), (2, "done"), (5, "done"), (7, "no_show"), (10, "done"), (12, "done"), (15, "done"),
            (17, "done"), (19, "done"), (22, "done"), (24, "done")]
STOPPED = [(0, "done"), (3, "done"), (5, "done"), (7, "no_show"), (8, "done"), (10, "cancelled"), (13, "cancelled")]


def _course(
    clinic: Clinic, client: Client, practitioner: Practitioner, room: Room, first_day: dt.date,
    plan: list[tuple[int, str]], *, hour: int, technique: str, cancelled: bool,
) -> list[Appointment]:
    tz = ZoneInfo(clinic.time_zone)
    rules = course_rules(MASSAGE)
    course = Course.objects.create(
        clinic=clinic, client=client, procedure=MASSAGE, knowledge_version="demo",
        rules={"sessions": rules.sessions, "min_gap_days": rules.min_gap_days, "max_gap_days": rules.max_gap_days,
               "session_duration_min": rules.session_duration_min},
        status=Course.Status.CANCELLED if cancelled else Course.Status.COMPLETED,
    )
    price = clinic_price_rub(MASSAGE)
    sessions = []
    for number, (offset, status) in enumerate(plan, start=1):
        start = dt.datetime.combine(first_day + dt.timedelta(days=offset), dt.time(hour), tzinfo=tz)
        sessions.append(
            Appointment.objects.create(
                clinic=clinic, client=client, procedure=MASSAGE, practitioner=practitioner, room=room, course=course,
                session_number=number, starts_at=start, ends_at=start + dt.timedelta(minutes=20), status=status,
                technique=technique, price_rub=price,
            )
        )
    return sessions


def _readings(dewar: Dewar, first_day: dt.date, today: dt.date, sessions: list[Appointment]) -> None:
    """A fill, weekly readings and a refill, following the demo rates with a little measurement scatter."""
    tz = ZoneInfo(dewar.clinic.time_zone)
    used = {a.starts_at: LITRES[a.technique] for a in sessions if a.status == Appointment.Status.DONE}
    level, last = 30.0, dt.datetime.combine(first_day, dt.time(8), tzinfo=tz)
    LevelReading.objects.create(dewar=dewar, at=last, kind=LevelReading.Kind.FILL, level_l=level, note=DEMO_SOURCE)
    day, week = first_day + dt.timedelta(days=7), 0
    while day < today:
        at = dt.datetime.combine(day, dt.time(8), tzinfo=tz)
        level -= BOIL_OFF_L_PER_DAY * (at - last).days + sum(v for t, v in used.items() if last <= t < at)
        level += (0.2, -0.1, 0.1, -0.2)[week % 4]
        LevelReading.objects.create(dewar=dewar, at=at, kind=LevelReading.Kind.READING, level_l=round(level, 1))
        if week == 3:
            level = 32.0
            LevelReading.objects.create(
                dewar=dewar, at=at + dt.timedelta(minutes=30), kind=LevelReading.Kind.FILL, level_l=level
            )
            at += dt.timedelta(minutes=30)
        last, day, week = at, day + dt.timedelta(days=7), week + 1


@transaction.atomic
def load_demo_history() -> int:
    """Two past cryomassage courses (one finished with a no-show and a broken gap, one stopped) and a vessel,
    for the fourth and fifth clients of the first demo clinic (the first three have courses booked ahead)."""
    from cryoclinic.demo import CLIENT_NAMES, FIRST_CLINIC_SLUG

    clinic = Clinic.objects.filter(slug=FIRST_CLINIC_SLUG).first()
    if clinic is None:
        return 0
    with state.activate(clinic):
        return _load_history(clinic, CLIENT_NAMES)


def _load_history(clinic: Clinic, client_names: list[str]) -> int:
    clients = list(Client.objects.filter(full_name__in=client_names[3:5]).order_by("full_name"))
    if len(clients) < 2 or Dewar.objects.filter(clinic=clinic, name=DEWAR_NAME).exists():
        return 0
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=45)
    practitioners = list(Practitioner.objects.filter(clinic=clinic).order_by("pk")[:2])
    room = Room.objects.filter(clinic=clinic).order_by("pk").first()
    if len(practitioners) < 2 or room is None:
        return 0
    sessions = _course(clinic, clients[0], practitioners[0], room, first_day, FINISHED, hour=11,
                       technique="cotton_swab", cancelled=False)
    sessions += _course(clinic, clients[1], practitioners[1], room, first_day + dt.timedelta(days=20), STOPPED,
                        hour=15, technique="pressure_device", cancelled=True)
    for technique, litres in LITRES.items():
        ConsumptionRate.objects.get_or_create(
            clinic=clinic, procedure=MASSAGE, technique=technique,
            defaults={"litres_per_session": litres, "provenance": "clinic_measured", "source": DEMO_SOURCE},
        )
    dewar = Dewar.objects.create(
        clinic=clinic, name=DEWAR_NAME, capacity_l=35, reserve_l=3, boil_off_l_per_day=BOIL_OFF_L_PER_DAY,
        boil_off_source=DEMO_SOURCE, refill_lead_days=3,
    )
    _readings(dewar, first_day - dt.timedelta(days=1), today, sessions)
    return 2
