"""The practitioner's day: today's sessions, each with what the treatment room needs before the cold touches the
skin: the client's screening on file, the consent, the preparation and prerequisites still missing, and the dose
guidance for the procedure's technique (the clinic's calibration, or marked uncalibrated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from cryoclinic.clinics.models import Clinic
from cryoclinic.guidance.session import SessionDwell, session_dwell
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.scheduling.models import Appointment
from cryoclinic.screening import services as screening
from cryoclinic.screening.services import BookingCheck
from cryoclinic.treatments.history import adverse_event_codes


@dataclass(frozen=True)
class DayCard:
    appointment: Appointment
    procedure: ProcedureData
    check: BookingCheck  # the screening on file, the consent and the prerequisites, as of the day
    screened_on: dt.date | None  # the latest intake's day, if any
    dwell: SessionDwell | None


def day_cards(clinic: Clinic, day: dt.date, *, practitioner_ids: list[int] | None) -> list[DayCard]:
    """The day's live sessions, by start, of the given practitioners (None: every practitioner)."""
    tz = ZoneInfo(clinic.time_zone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    rows = (
        Appointment.objects.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("client", "practitioner", "room", "course")
        .order_by("starts_at", "pk")
    )
    if practitioner_ids is not None:
        rows = rows.filter(practitioner_id__in=practitioner_ids)
    return [_card(a, day) for a in rows]


def _card(appointment: Appointment, day: dt.date) -> DayCard:
    procedure = knowledge.get_procedure(appointment.procedure)
    check = screening.may_book(
        appointment.client, appointment.procedure, day,
        last_course_end=None,  # the client is in the course: the repeat interval was checked when it was booked
        adverse_event_codes=adverse_event_codes(appointment.client, appointment.procedure),
    )
    intake = screening.latest_intake(appointment.client, appointment.procedure)
    return DayCard(
        appointment=appointment,
        procedure=procedure,
        check=check,
        screened_on=timezone.localdate(intake.recorded_at) if intake is not None else None,
        dwell=session_dwell(appointment.procedure, appointment.technique, ()),
    )
