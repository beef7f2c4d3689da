"""Queries → metrics → tables: each report of a period, by the slug its CSV is named after."""

from __future__ import annotations

from collections.abc import Callable

from cryoclinic.scheduling.models import Clinic

from . import queries, tables
from .metrics import (
    DONE,
    Period,
    adverse_events_per_100,
    course_adherence,
    revenue_by_procedure,
    sessions_per_practitioner,
)


def _sessions(clinic: Clinic, period: Period) -> tables.Table:
    return tables.sessions_table(sessions_per_practitioner(queries.session_records(clinic, period)))


def _courses(clinic: Clinic, period: Period) -> tables.Table:
    return tables.courses_table(course_adherence(queries.course_records(clinic, period)))


def _revenue(clinic: Clinic, period: Period) -> tables.Table:
    return tables.revenue_table(revenue_by_procedure(queries.session_records(clinic, period)))


def _nitrogen(clinic: Clinic, period: Period) -> tables.Table:
    start, _end = queries.bounds(clinic, period)
    return tables.nitrogen_table(queries.nitrogen_records(clinic, period), start)


def _adverse_events(clinic: Clinic, period: Period) -> tables.Table | None:
    events = queries.adverse_event_records(clinic, period)
    if events is None:
        return None
    done: dict[str, int] = {}
    for s in queries.session_records(clinic, period):
        if s.status == DONE:
            done[s.practitioner] = done.get(s.practitioner, 0) + 1
    return tables.adverse_table(adverse_events_per_100(events, done))


REPORTS: dict[str, Callable[[Clinic, Period], tables.Table | None]] = {
    "sessions": _sessions,
    "courses": _courses,
    "revenue": _revenue,
    "adverse-events": _adverse_events,
    "nitrogen": _nitrogen,
}


def report_table(slug: str, clinic: Clinic, period: Period) -> tables.Table | None:
    """The report, or None where it has no data source yet (adverse events before session records)."""
    return REPORTS[slug](clinic, period)
