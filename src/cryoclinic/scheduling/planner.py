"""The interactive course planner: every session of a course, or the reason none fits. Pure: no Django.

Sessions follow each other `min_gap_days`..`max_gap_days` calendar days apart; each lies inside the
clinic's opening hours (in the clinic's time zone), outside closed days, inside one of the client's
windows and a practitioner's working hours, with that practitioner and a room free. Preferences: one
practitioner for the whole course and one time of day. A depth-first search over the days each gap
allows (two or three), so a dead end on one day is retried on the next before the plan gives up.

Why it is fast. Bookings are indexed once (`BusyIndex`: integer microseconds per resource and UTC day),
and a batch adds each placed course to the index instead of rebuilding it. The sessions of one course
lie on different days, so a day's free slots depend only on the bookings passed in: each day is worked
out once per request, whatever the start tried, and whether the rest of a course fits from a session on
a given day never depends on which slot that session took. A dead end (day, session) is therefore
remembered and never searched twice, which makes the search complete: when no plan is found, none exists.
"""

from __future__ import annotations

import datetime as dt
from bisect import insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .planning import (
    Busy,
    ClinicSpec,
    CourseRequest,
    Interval,
    PlanFailure,
    PlannedSession,
    PlanResult,
    PractitionerSpec,
    TimeWindow,
)

CONSTRAINT_ORDER = (
    "closed_day",
    "opening_hours",
    "client_availability",
    "practitioner_hours",
    "practitioner_busy",
    "room_busy",
    "interval",
)
MESSAGES = {
    "closed_day": "the clinic is closed on every day the interval allows",
    "opening_hours": "the clinic is not open on the days the interval allows",
    "client_availability": "the client is not available during opening hours on the days the interval allows",
    "practitioner_hours": "no practitioner who performs the procedure works in the client's windows on those days",
    "practitioner_busy": "every suitable practitioner is booked or absent at the client's times on those days",
    "room_busy": "no suitable room is free when a practitioner is",
    "interval": "the next session cannot be placed within the interval the course rules allow",
}
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_DAY_US = 86_400_000_000


def to_us(moment: dt.datetime) -> int:
    """An aware datetime as integer microseconds since the epoch: exact, and cheap to compare."""
    return (moment - _EPOCH) // _MICROSECOND


class BusyIndex:
    """Busy intervals per resource and UTC day, each day's list sorted by start, in integer microseconds."""

    def __init__(self, busy: Iterable[Busy] = ()) -> None:
        self._by_day: dict[tuple[str, int, int], list[tuple[int, int]]] = defaultdict(list)
        for item in busy:
            self.add(item.kind, item.resource_id, item.interval.start, item.interval.end)

    def add(self, kind: str, resource_id: int, start: dt.datetime, end: dt.datetime) -> None:
        start_us, end_us = to_us(start), to_us(end)
        for day in range(start_us // _DAY_US, max(end_us - 1, start_us) // _DAY_US + 1):
            insort(self._by_day[(kind, resource_id, day)], (start_us, end_us))

    def add_sessions(self, sessions: Iterable[PlannedSession]) -> None:
        for s in sessions:
            self.add("practitioner", s.practitioner_id, s.start, s.end)
            self.add("room", s.room_id, s.start, s.end)

    def overlapping(self, kind: str, resource_id: int, start_us: int, end_us: int) -> list[tuple[int, int]]:
        found = []
        for day in range(start_us // _DAY_US, max(end_us - 1, start_us) // _DAY_US + 1):
            for busy_start, busy_end in self._by_day.get((kind, resource_id, day), ()):
                if busy_start >= end_us:
                    break
                if busy_end > start_us:
                    found.append((busy_start, busy_end))
        return found

    def free(self, kind: str, resource_id: int, start: dt.datetime, end: dt.datetime) -> bool:
        return not self.overlapping(kind, resource_id, to_us(start), to_us(end))


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    practitioner_id: int
    room_id: int


@dataclass(frozen=True)
class _Start:
    """One start time on a day: the practitioners (in preference order) and rooms (by id) free then."""

    minute: int  # local time of day, for the time-of-day preference
    start: dt.datetime
    end: dt.datetime
    start_us: int
    practitioners: tuple[int, ...]
    rooms: tuple[int, ...]


@dataclass(frozen=True)
class _Day:
    failure: str  # the constraint that rules out every slot, when `starts` is empty
    starts: tuple[_Start, ...]


def windows_on(windows: Sequence[TimeWindow], weekday: int) -> list[tuple[dt.time, dt.time]]:
    return [(w.start, w.end) for w in windows if w.weekday == weekday]


def _intersect(a: list[tuple[dt.time, dt.time]], b: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if max(s1, s2) < min(e1, e2)]


def _start_times(window: tuple[dt.time, dt.time], duration: dt.timedelta, step_min: int) -> list[dt.time]:
    """The starts on the slot grid (whole multiples of the step past the hour) that end inside the window."""
    moment = dt.datetime.combine(dt.date(2000, 1, 3), window[0])
    last = dt.datetime.combine(dt.date(2000, 1, 3), window[1]) - duration
    if moment.minute % step_min:
        moment += dt.timedelta(minutes=step_min - moment.minute % step_min)
    times = []
    while moment <= last:
        times.append(moment.time())
        moment += dt.timedelta(minutes=step_min)
    return times


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def weekday_starts(
    clinic: ClinicSpec, request: CourseRequest, practitioners: Sequence[PractitionerSpec], weekday: int
) -> tuple[str, dict[dt.time, tuple[int, ...]]]:
    """The start times a weekday offers the request, each with the practitioners whose hours allow it
    (in the order given); or the constraint that leaves none."""
    opening = windows_on(clinic.opening_hours, weekday)
    if not opening:
        return "opening_hours", {}
    client = _intersect(opening, windows_on(request.availability, weekday))
    if not client:
        return "client_availability", {}
    duration = dt.timedelta(minutes=request.rules.session_duration_min)
    allowed: dict[dt.time, list[int]] = defaultdict(list)
    grids: dict[tuple[dt.time, dt.time], list[dt.time]] = {}  # practitioners often share their hours
    for practitioner in practitioners:
        times: set[dt.time] = set()
        for window in _intersect(client, windows_on(practitioner.hours, weekday)):
            if window not in grids:
                grids[window] = _start_times(window, duration, clinic.slot_step_min)
            times.update(grids[window])
        for time in times:
            allowed[time].append(practitioner.id)
    if not allowed:
        return "practitioner_hours", {}
    return "", {time: tuple(allowed[time]) for time in sorted(allowed)}


def _blocked(busy: list[tuple[int, int]], spans: list[tuple[int, int]]) -> set[int]:
    """The positions of the spans that overlap any of the busy intervals."""
    return {
        n
        for busy_start, busy_end in busy
        for n, (start, end) in enumerate(spans)
        if busy_start < end and start < busy_end
    }


def _rank(index: int, constraint: str) -> tuple[int, int]:
    """Failures compare by the furthest session, then by the most specific constraint."""
    return (index, CONSTRAINT_ORDER.index(constraint))


class _Search:
    """One request against one state of the bookings: the days worked out and the dead ends found so far,
    shared by every start tried."""

    def __init__(self, clinic: ClinicSpec, request: CourseRequest, index: BusyIndex) -> None:
        self.clinic, self.request, self.index = clinic, request, index
        self.practitioners = sorted(
            (p for p in clinic.practitioners if request.procedure in p.procedures),
            key=lambda p: (p.id != request.preferred_practitioner_id, p.id),
        )
        self.room_ids = sorted(r.id for r in clinic.rooms if r.procedures is None or request.procedure in r.procedures)
        self.absences = {p.id: [(to_us(a.start), to_us(a.end)) for a in p.absences] for p in self.practitioners}
        self.duration = dt.timedelta(minutes=request.rules.session_duration_min)
        rules = request.rules
        # Sessions of one course lie on different days (a same-day pair would share a practitioner or room).
        self.gaps = [dt.timedelta(days=g) for g in range(max(rules.min_gap_days, 1), rules.max_gap_days + 1)]
        self._weekdays = [weekday_starts(clinic, request, self.practitioners, w) for w in range(7)]
        self._days: dict[dt.date, _Day] = {}
        self._dead: dict[tuple[dt.date, int], tuple[int, int]] = {}

    def day(self, day: dt.date) -> _Day:
        if day not in self._days:
            self._days[day] = self._work_out(day)
        return self._days[day]

    def _work_out(self, day: dt.date) -> _Day:
        if day in self.clinic.closed_days:
            return _Day("closed_day", ())
        failure, allowed = self._weekdays[day.weekday()]
        if failure:
            return _Day(failure, ())
        tz = self.clinic.time_zone
        starts = [dt.datetime.combine(day, time, tzinfo=tz) for time in allowed]
        ends = [start + self.duration for start in starts]
        spans = [(to_us(start), to_us(end)) for start, end in zip(starts, ends, strict=True)]
        first_us, last_us = min(s for s, _ in spans), max(e for _, e in spans)
        blocked = {
            p.id: _blocked(self.index.overlapping("practitioner", p.id, first_us, last_us) + self.absences[p.id], spans)
            for p in self.practitioners
        }
        room_blocked = {r: _blocked(self.index.overlapping("room", r, first_us, last_us), spans) for r in self.room_ids}
        found, any_free_practitioner = [], False
        for n, practitioner_ids in enumerate(allowed.values()):
            free = tuple(p for p in practitioner_ids if n not in blocked[p])
            if not free:
                continue
            any_free_practitioner = True
            rooms = tuple(r for r in self.room_ids if n not in room_blocked[r])
            if rooms:
                minute = _minutes(starts[n].astimezone(tz).time())
                found.append(_Start(minute, starts[n], ends[n], spans[n][0], free, rooms))
        if not found:
            return _Day("room_busy" if any_free_practitioner else "practitioner_busy", ())
        return _Day("", tuple(found))

    @staticmethod
    def best(day: _Day, practitioner_id: int | None, minute: int | None) -> tuple[_Start, int, int]:
        """The preferred slot: the kept practitioner first, then nearest the kept time of day, then earliest,
        then the lowest room id, then the practitioner preferred by the request."""

        def key(s: _Start) -> tuple[int, int]:
            return (abs(s.minute - minute) if minute is not None else 0, s.start_us)

        if practitioner_id is not None:
            own = [s for s in day.starts if practitioner_id in s.practitioners]
            if own:
                chosen = min(own, key=key)
                return chosen, practitioner_id, chosen.rooms[0]
        chosen = min(day.starts, key=key)
        return chosen, chosen.practitioners[0], chosen.rooms[0]

    def explore(
        self, day: dt.date, index: int, plan: list[Slot], practitioner_id: int | None, minute: int | None
    ) -> tuple[int, int] | None:
        """Place session `index` on `day` and the rest after it into `plan`: None when the course is complete,
        otherwise the rank of the furthest failure below (remembered: it holds whatever the preferences)."""
        if (day, index) in self._dead:
            return self._dead[(day, index)]
        candidates = self.day(day)
        if not candidates.starts:
            failure = _rank(index, candidates.failure)
        else:
            start, chosen_practitioner, room = self.best(candidates, practitioner_id, minute)
            plan.append(Slot(start.start, start.end, chosen_practitioner, room))
            if index == self.request.rules.sessions:
                return None
            worst = None
            for gap in self.gaps:
                below = self.explore(
                    day + gap,
                    index + 1,
                    plan,
                    chosen_practitioner if practitioner_id is None else practitioner_id,
                    start.minute if minute is None else minute,
                )
                if below is None:
                    return None
                worst = below if worst is None else max(worst, below)
            plan.pop()
            failure = worst or _rank(index + 1, "interval")
        self._dead[(day, index)] = failure
        return failure

    def attempt(self, start: dt.date) -> tuple[list[PlannedSession], PlanFailure | None]:
        request = self.request
        first = request.first_index
        if first > request.rules.sessions:
            return [], None
        preferred_minute = _minutes(request.preferred_time) if request.preferred_time is not None else None
        worst: tuple[int, int] | None = None
        for day in _first_days(request, start):
            plan: list[Slot] = []
            failure = self.explore(day, first, plan, request.preferred_practitioner_id, preferred_minute)
            if failure is None:
                return [
                    PlannedSession(first + n, s.start, s.end, s.practitioner_id, s.room_id) for n, s in enumerate(plan)
                ], None
            worst = failure if worst is None else max(worst, failure)
        index, order = worst or _rank(first, "interval")
        constraint = CONSTRAINT_ORDER[order]
        return [], PlanFailure(index, constraint, f"Session {index}: {MESSAGES[constraint]}.")


def _first_days(request: CourseRequest, start: dt.date) -> list[dt.date]:
    """The first session is on the start day; when re-planning, within the gap after the last kept session."""
    if request.previous_session is not None:
        rules = request.rules
        return [
            request.previous_session + dt.timedelta(days=g)
            for g in range(max(rules.min_gap_days, 1), rules.max_gap_days + 1)
            if request.previous_session + dt.timedelta(days=g) >= start
        ]
    return [start]


def plan_course(
    clinic: ClinicSpec, request: CourseRequest, busy: Sequence[Busy] | BusyIndex, *, horizon_days: int = 60
) -> PlanResult:
    """Every remaining session of the course from `request.earliest_start`, or the failure and the nearest
    later start (within `horizon_days`) from which the whole course fits."""
    search = _Search(clinic, request, busy if isinstance(busy, BusyIndex) else BusyIndex(busy))
    sessions, failure = search.attempt(request.earliest_start)
    if failure is None:
        return PlanResult(sessions=sessions)
    nearest = None
    if request.previous_session is None:
        for offset in range(1, horizon_days + 1):
            later, problem = search.attempt(request.earliest_start + dt.timedelta(days=offset))
            if problem is None:
                nearest = later[0].start.astimezone(clinic.time_zone).date()
                break
    return PlanResult(failure=failure, nearest_start=nearest)


def plan_within(clinic: ClinicSpec, request: CourseRequest, busy: BusyIndex, *, start_window_days: int) -> PlanResult:
    """The course from the first of `start_window_days` start days that fits (the batch's rule); when none
    does, the failure from the last day tried."""
    search = _Search(clinic, request, busy)
    failure = None
    for offset in range(max(start_window_days, 1)):
        sessions, failure = search.attempt(request.earliest_start + dt.timedelta(days=offset))
        if failure is None:
            return PlanResult(sessions=sessions)
    return PlanResult(failure=failure)


def free_starts(clinic: ClinicSpec, request: CourseRequest, busy: BusyIndex, days: Sequence[dt.date]) -> list[Slot]:
    """Every start on `days` at which one session of the request fits, with the first practitioner and room free
    then: the same day-by-day work the course search does, read out instead of searched."""
    search = _Search(clinic, request, busy)
    return [
        Slot(start.start, start.end, start.practitioners[0], start.rooms[0])
        for day in days
        for start in search.day(day).starts
    ]


class _Occupancy:
    """Busy intervals per resource and UTC day, in plain datetimes: validate_plan's own bookkeeping, kept
    apart from the search's index so that the check does not share the search's mistakes."""

    def __init__(self, busy: Sequence[Busy]) -> None:
        self.by_resource: dict[tuple[str, int, dt.date], list[Interval]] = defaultdict(list)
        for item in busy:
            self._add(item.kind, item.resource_id, item.interval)

    @staticmethod
    def _days(interval: Interval) -> list[dt.date]:
        first, last = interval.start.astimezone(dt.UTC).date(), interval.end.astimezone(dt.UTC).date()
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def _add(self, kind: str, resource_id: int, interval: Interval) -> None:
        for day in self._days(interval):
            self.by_resource[(kind, resource_id, day)].append(interval)

    def free(self, kind: str, resource_id: int, interval: Interval) -> bool:
        return not any(
            interval.overlaps(other)
            for day in self._days(interval)
            for other in self.by_resource.get((kind, resource_id, day), ())
        )

    def add(self, slot: Slot) -> None:
        interval = Interval(slot.start, slot.end)
        self._add("practitioner", slot.practitioner_id, interval)
        self._add("room", slot.room_id, interval)


def inside_windows(windows: Sequence[TimeWindow], local_start: dt.datetime, local_end: dt.datetime) -> bool:
    weekday = local_start.weekday()
    return any(local_start.time() >= s and local_end.time() <= e for s, e in windows_on(windows, weekday))


def validate_plan(
    clinic: ClinicSpec, request: CourseRequest, busy: Sequence[Busy], sessions: Sequence[PlannedSession]
) -> list[str]:
    """Every rule a plan must keep, checked independently of the search: the problems found (none: valid)."""
    problems = []
    rules = request.rules
    practitioners = {p.id: p for p in clinic.practitioners}
    rooms = {r.id: r for r in clinic.rooms}
    if len(sessions) != rules.sessions - request.first_index + 1:
        problems.append(f"{len(sessions)} sessions planned, {rules.sessions - request.first_index + 1} needed")
    previous = request.previous_session
    occupancy = _Occupancy(busy)
    for session in sessions:
        local_start = session.start.astimezone(clinic.time_zone)
        local_end = session.end.astimezone(clinic.time_zone)
        day = local_start.date()
        label = f"session {session.index}"
        if session.end - session.start != dt.timedelta(minutes=rules.session_duration_min):
            problems.append(f"{label}: wrong duration")
        if previous is None and day < request.earliest_start:
            problems.append(f"{label}: before the earliest start")
        if previous is not None and not rules.min_gap_days <= (day - previous).days <= rules.max_gap_days:
            problems.append(f"{label}: {(day - previous).days} days after the previous session")
        if day in clinic.closed_days:
            problems.append(f"{label}: the clinic is closed")

        if not inside_windows(clinic.opening_hours, local_start, local_end):
            problems.append(f"{label}: outside opening hours")
        if not inside_windows(request.availability, local_start, local_end):
            problems.append(f"{label}: outside the client's windows")
        practitioner = practitioners.get(session.practitioner_id)
        if practitioner is None or request.procedure not in practitioner.procedures:
            problems.append(f"{label}: the practitioner does not perform the procedure")
        elif not inside_windows(practitioner.hours, local_start, local_end):
            problems.append(f"{label}: outside the practitioner's hours")
        elif any(Interval(session.start, session.end).overlaps(a) for a in practitioner.absences):
            problems.append(f"{label}: the practitioner is absent")
        room = rooms.get(session.room_id)
        if room is None or (room.procedures is not None and request.procedure not in room.procedures):
            problems.append(f"{label}: the room does not allow the procedure")
        interval = Interval(session.start, session.end)
        if not occupancy.free("practitioner", session.practitioner_id, interval):
            problems.append(f"{label}: the practitioner is busy")
        if not occupancy.free("room", session.room_id, interval):
            problems.append(f"{label}: the room is busy")
        occupancy.add(Slot(session.start, session.end, session.practitioner_id, session.room_id))
        previous = day
    return problems
