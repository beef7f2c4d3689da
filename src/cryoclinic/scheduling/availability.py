"""A clinic's next free time for a procedure, as the salon directory shows it: from the live calendar, cheaply.

The first free slot for a first session (one session of the procedure's length, no course around it) in the
next `SEARCH_DAYS` days, with any practitioner who performs it and any room that allows it, inside opening hours
and outside the bookings, absences and closed days — the same planner that books courses, asked for one session.
The part of today already gone counts as taken. Read inside the clinic's scope.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge.services import UnknownProcedure

from .planner import BusyIndex, Slot, free_starts, plan_within
from .planning import Busy, CourseRequest, Interval, TimeWindow
from .services import SchedulingError, busy, clinic_spec, course_rules

SEARCH_DAYS = 14
MAX_RANGE_DAYS = 31  # the free-time query's widest range: a month of a clinic's calendar in one answer
ANY_TIME = tuple(TimeWindow(weekday, dt.time(0), dt.time(23, 59, 59)) for weekday in range(7))


def next_free_start(clinic: Clinic, procedure: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the first free session of `procedure` starts (aware, in the clinic's time zone); None when nothing
    is free in the next SEARCH_DAYS days or the procedure has no course rules."""
    now = now or timezone.now()
    with state.activate(clinic):
        try:
            rules = dataclasses.replace(course_rules(procedure), sessions=1)
        except (UnknownProcedure, SchedulingError):
            return None
        spec = clinic_spec(clinic)
        today = now.astimezone(spec.time_zone).date()
        taken = busy(clinic, start=today, rules=rules)
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=spec.time_zone)
    gone = [Busy("practitioner", p.id, Interval(midnight, now)) for p in spec.practitioners]
    request = CourseRequest(client_id=0, procedure=procedure, earliest_start=today, availability=ANY_TIME, rules=rules)
    result = plan_within(spec, request, BusyIndex([*taken, *gone]), start_window_days=SEARCH_DAYS)
    if not result.ok or not result.sessions:
        return None
    return result.sessions[0].start.astimezone(spec.time_zone)


def free_slots(
    clinic: Clinic, procedure: str, first: dt.date, last: dt.date, *, now: dt.datetime | None = None
) -> list[Slot]:
    """Every start of one session of `procedure` from `first` to `last` (the clinic's days) at which a
    practitioner who performs it and a room that allows it are free: from the live calendar, read inside the
    clinic's scope. The part of today already gone counts as taken. Raises SchedulingError for a procedure without
    course rules and UnknownProcedure for an unknown one."""
    now = now or timezone.now()
    with state.activate(clinic):
        rules = dataclasses.replace(course_rules(procedure), sessions=1)
        spec = clinic_spec(clinic)
        taken = busy(clinic, start=first, rules=rules)  # reaches the planner's horizon: past any range allowed
    today = now.astimezone(spec.time_zone).date()
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=spec.time_zone)
    gone = [Busy("practitioner", p.id, Interval(midnight, now)) for p in spec.practitioners]
    request = CourseRequest(client_id=0, procedure=procedure, earliest_start=first, availability=ANY_TIME, rules=rules)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return free_starts(spec, request, BusyIndex([*taken, *gone]), days)
