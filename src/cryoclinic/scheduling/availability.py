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

from .planner import BusyIndex, plan_within
from .planning import Busy, CourseRequest, Interval, TimeWindow
from .services import SchedulingError, busy, clinic_spec, course_rules

SEARCH_DAYS = 14
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
