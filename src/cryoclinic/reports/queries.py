"""Rows → the plain records `metrics` computes on. Every database read of the reports is here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.state import current_clinic
from cryoclinic.nitrogen.models import Dewar
from cryoclinic.nitrogen.services import rate_for, rate_table
from cryoclinic.scheduling.models import Appointment, Course
from cryoclinic.treatments.models import AdverseEvent

from .metrics import (
    AdverseEventRecord,
    CourseRecord,
    Period,
    ReadingRecord,
    SessionRecord,
    UseRecord,
)

AdverseEventQuery = Callable[[Clinic, Period], list[AdverseEventRecord]]


def treatment_adverse_events(clinic: Clinic, period: Period) -> list[AdverseEventRecord]:
    """Adverse events reported against one of the clinic's appointments, by onset day, with its practitioner."""
    rows = AdverseEvent.objects.filter(
        appointment__clinic=clinic, onset_on__gte=period.start, onset_on__lte=period.end
    ).select_related("appointment__practitioner")
    return [
        AdverseEventRecord(e.appointment.practitioner.display_name, e.code, e.onset_on)
        for e in rows
        if e.appointment is not None
    ]


# The source of adverse-event records; None leaves the report "adverse events per 100 sessions" out.
ADVERSE_EVENT_QUERY: AdverseEventQuery | None = treatment_adverse_events


def report_clinic() -> Clinic | None:
    return current_clinic()


def bounds(clinic: Clinic, period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's first and first-after instants in the clinic's time zone."""
    tz = ZoneInfo(clinic.time_zone)
    start = dt.datetime.combine(period.start, dt.time(0), tzinfo=tz)
    return start, dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


def session_records(clinic: Clinic, period: Period) -> list[SessionRecord]:
    """Every appointment that starts in the period, with its practitioner and price as booked."""
    start, end = bounds(clinic, period)
    tz = ZoneInfo(clinic.time_zone)
    rows = Appointment.objects.filter(clinic=clinic, starts_at__gte=start, starts_at__lt=end).select_related(
        "practitioner"
    )
    return [
        SessionRecord(
            a.practitioner.display_name, a.procedure, a.starts_at.astimezone(tz).date(), a.status, a.price_rub
        )
        for a in rows
    ]


def course_records(clinic: Clinic, period: Period) -> list[CourseRecord]:
    """Courses with a session held (done) in the period, each with all its done days and its snapshotted rule."""
    start, end = bounds(clinic, period)
    tz = ZoneInfo(clinic.time_zone)
    courses = (
        Course.objects.filter(
            clinic=clinic,
            appointments__status=Appointment.Status.DONE,
            appointments__starts_at__gte=start,
            appointments__starts_at__lt=end,
        )
        .distinct()
        .prefetch_related("appointments")
    )
    records = []
    for course in courses:
        sessions = list(course.appointments.all())
        records.append(
            CourseRecord(
                course_id=course.pk,
                procedure=course.procedure,
                sessions_planned=int(course.rules["sessions"]),
                min_gap_days=int(course.rules["min_gap_days"]),
                max_gap_days=int(course.rules["max_gap_days"]),
                done_days=tuple(
                    a.starts_at.astimezone(tz).date() for a in sessions if a.status == Appointment.Status.DONE
                ),
                booked_left=sum(a.status == Appointment.Status.BOOKED for a in sessions),
                cancelled=course.status == Course.Status.CANCELLED,
            )
        )
    return records


def nitrogen_records(
    clinic: Clinic, period: Period
) -> list[tuple[Dewar, list[ReadingRecord], list[UseRecord]]]:
    """Per vessel: its readings up to the period's end, and the sessions it served with today's rates."""
    _start, end = bounds(clinic, period)
    rates = rate_table(clinic.pk)
    found = []
    for dewar in Dewar.objects.filter(clinic=clinic).order_by("name"):
        readings = [
            ReadingRecord(r.at, r.kind, float(r.level_l)) for r in dewar.readings.filter(at__lt=end).order_by("at")
        ]
        if not readings:
            continue
        served = Appointment.objects.filter(
            clinic=clinic, status=Appointment.Status.DONE, starts_at__gte=readings[0].at, starts_at__lt=end
        )
        if dewar.procedures:
            served = served.filter(procedure__in=dewar.procedures)
        uses = [
            UseRecord(a.starts_at, rate_for(rates, a.procedure, a.technique))
            for a in served.only("starts_at", "procedure", "technique")
        ]
        found.append((dewar, readings, uses))
    return found


def adverse_event_records(clinic: Clinic, period: Period) -> list[AdverseEventRecord] | None:
    """None while no query is plugged in: the page then leaves the report out rather than show zeros."""
    return None if ADVERSE_EVENT_QUERY is None else ADVERSE_EVENT_QUERY(clinic, period)
