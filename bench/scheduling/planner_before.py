"""The planner as it was before the speed work (commit 4347567), kept verbatim as the bench's baseline.

`make bench-scheduling` runs this greedy side by side with the current one and prints the ratio; nothing in
the app imports it. Do not optimise it: it is the yardstick.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from cryoclinic.scheduling.planning import (
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


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    practitioner_id: int
    room_id: int


class _Occupancy:
    """Busy intervals per resource and UTC day, plus the sessions of the plan being built."""

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

    def remove(self, slot: Slot) -> None:
        interval = Interval(slot.start, slot.end)
        for kind, resource_id in (("practitioner", slot.practitioner_id), ("room", slot.room_id)):
            for day in self._days(interval):
                self.by_resource[(kind, resource_id, day)].remove(interval)


def _windows(windows: Sequence[TimeWindow], weekday: int) -> list[tuple[dt.time, dt.time]]:
    return [(w.start, w.end) for w in windows if w.weekday == weekday]


def _intersect(a: list[tuple[dt.time, dt.time]], b: list[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if max(s1, s2) < min(e1, e2)]


def _starts(
    window: tuple[dt.time, dt.time], day: dt.date, duration: dt.timedelta, step_min: int, tz: dt.tzinfo
) -> Iterator[dt.datetime]:
    start = dt.datetime.combine(day, window[0], tzinfo=tz)
    last = dt.datetime.combine(day, window[1], tzinfo=tz) - duration
    step = dt.timedelta(minutes=step_min)
    minute = start.minute % step_min
    if minute:
        start += dt.timedelta(minutes=step_min - minute)
    while start <= last:
        yield start
        start += step


class _Day:
    """Every slot on one day for one request, and, when there is none, the constraint that ruled it out."""

    def __init__(self, planner: _Planner, day: dt.date) -> None:
        self.day, self.failure, self.slots = day, "", []
        clinic, request = planner.clinic, planner.request
        if day in clinic.closed_days:
            self.failure = "closed_day"
            return
        opening = _windows(clinic.opening_hours, day.weekday())
        if not opening:
            self.failure = "opening_hours"
            return
        client = _intersect(opening, _windows(request.availability, day.weekday()))
        if not client:
            self.failure = "client_availability"
            return
        duration = dt.timedelta(minutes=request.rules.session_duration_min)
        any_hours = any_free_practitioner = False
        for practitioner in planner.practitioners:
            windows = _intersect(client, _windows(practitioner.hours, day.weekday()))
            for window in windows:
                for start in _starts(window, day, duration, clinic.slot_step_min, clinic.time_zone):
                    any_hours = True
                    interval = Interval(start, start + duration)
                    if any(interval.overlaps(a) for a in practitioner.absences):
                        continue
                    if not planner.occupancy.free("practitioner", practitioner.id, interval):
                        continue
                    any_free_practitioner = True
                    for room in planner.rooms:
                        if planner.occupancy.free("room", room.id, interval):
                            self.slots.append(Slot(start, interval.end, practitioner.id, room.id))
        if not self.slots:
            self.failure = (
                "room_busy" if any_free_practitioner else ("practitioner_busy" if any_hours else "practitioner_hours")
            )


class _Planner:
    def __init__(self, clinic: ClinicSpec, request: CourseRequest, busy: Sequence[Busy]) -> None:
        self.clinic, self.request = clinic, request
        self.occupancy = _Occupancy(busy)
        self.practitioners: list[PractitionerSpec] = sorted(
            (p for p in clinic.practitioners if request.procedure in p.procedures),
            key=lambda p: (p.id != request.preferred_practitioner_id, p.id),
        )
        self.rooms = [r for r in clinic.rooms if r.procedures is None or request.procedure in r.procedures]
        self.failure: PlanFailure | None = None
        self._failure_rank = (0, 0)
        # Sessions of one course are days apart, so a day's slots depend only on the bookings passed in.
        self._days: dict[dt.date, _Day] = {}

    def day(self, day: dt.date) -> _Day:
        if day not in self._days:
            self._days[day] = _Day(self, day)
        return self._days[day]

    def _order(self, slots: list[Slot], practitioner_id: int | None, time: dt.time | None) -> list[Slot]:
        def minutes(t: dt.time) -> int:
            return t.hour * 60 + t.minute

        def key(slot: Slot) -> tuple[bool, int, dt.datetime, int]:
            local = slot.start.astimezone(self.clinic.time_zone).time()
            distance = abs(minutes(local) - minutes(time)) if time is not None else 0
            return (
                practitioner_id is not None and slot.practitioner_id != practitioner_id,
                distance,
                slot.start,
                slot.room_id,
            )

        return sorted(slots, key=key)

    def _fail(self, index: int, constraint: str) -> None:
        """Keep the failure of the furthest session; on one session, the most specific constraint."""
        rank = (index, CONSTRAINT_ORDER.index(constraint))
        if self.failure is None or rank > self._failure_rank:
            self._failure_rank = rank
            self.failure = PlanFailure(index, constraint, f"Session {index}: {MESSAGES[constraint]}.")

    def place(
        self,
        index: int,
        days: list[dt.date],
        plan: list[PlannedSession],
        practitioner_id: int | None,
        time: dt.time | None,
        tries: list[int],
    ) -> bool:
        if index > self.request.rules.sessions:
            return True
        for day in days:
            candidates = self.day(day)
            if not candidates.slots:
                self._fail(index, candidates.failure)
                continue
            # One slot per practitioner and time of day is enough to try: the best few, in preference order.
            for slot in self._order(candidates.slots, practitioner_id, time)[:3]:
                tries[0] += 1
                if tries[0] > 500:
                    return False
                self.occupancy.add(slot)
                plan.append(PlannedSession(index, slot.start, slot.end, slot.practitioner_id, slot.room_id))
                rules = self.request.rules
                following = [day + dt.timedelta(days=g) for g in range(rules.min_gap_days, rules.max_gap_days + 1)]
                keep_time = time or slot.start.astimezone(self.clinic.time_zone).time()
                if self.place(index + 1, following, plan, practitioner_id or slot.practitioner_id, keep_time, tries):
                    return True
                plan.pop()
                self.occupancy.remove(slot)
        return False


def _first_days(request: CourseRequest, start: dt.date) -> list[dt.date]:
    """The first session is on the start day; when re-planning, within the gap after the last kept session."""
    if request.previous_session is not None:
        rules = request.rules
        return [
            request.previous_session + dt.timedelta(days=g)
            for g in range(rules.min_gap_days, rules.max_gap_days + 1)
            if request.previous_session + dt.timedelta(days=g) >= start
        ]
    return [start]


def _attempt(
    clinic: ClinicSpec, request: CourseRequest, busy: Sequence[Busy], start: dt.date
) -> tuple[list[PlannedSession], PlanFailure | None]:
    planner = _Planner(clinic, request, busy)
    plan: list[PlannedSession] = []
    days = _first_days(request, start)
    if planner.place(request.first_index, days, plan, request.preferred_practitioner_id, request.preferred_time, [0]):
        return plan, None
    failure = planner.failure or PlanFailure(request.first_index, "interval", MESSAGES["interval"])
    return [], failure


def plan_course(
    clinic: ClinicSpec, request: CourseRequest, busy: Sequence[Busy], *, horizon_days: int = 60
) -> PlanResult:
    """Every remaining session of the course from `request.earliest_start`, or the failure and the nearest
    later start (within `horizon_days`) from which the whole course fits."""
    sessions, failure = _attempt(clinic, request, busy, request.earliest_start)
    if failure is None:
        return PlanResult(sessions=sessions)
    nearest = None
    if request.previous_session is None:
        for offset in range(1, horizon_days + 1):
            start = request.earliest_start + dt.timedelta(days=offset)
            later, problem = _attempt(clinic, request, busy, start)
            if problem is None:
                nearest = later[0].start.astimezone(clinic.time_zone).date()
                break
    return PlanResult(failure=failure, nearest_start=nearest)


def _inside(windows: Sequence[TimeWindow], local_start: dt.datetime, local_end: dt.datetime) -> bool:
    weekday = local_start.weekday()
    return any(local_start.time() >= s and local_end.time() <= e for s, e in _windows(windows, weekday))


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

        if not _inside(clinic.opening_hours, local_start, local_end):
            problems.append(f"{label}: outside opening hours")
        if not _inside(request.availability, local_start, local_end):
            problems.append(f"{label}: outside the client's windows")
        practitioner = practitioners.get(session.practitioner_id)
        if practitioner is None or request.procedure not in practitioner.procedures:
            problems.append(f"{label}: the practitioner does not perform the procedure")
        elif not _inside(practitioner.hours, local_start, local_end):
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


def greedy(
    clinic: ClinicSpec, requests: Sequence[CourseRequest], busy: Sequence[Busy], *, start_window_days: int = 7
) -> list[PlanResult]:
    """The interactive planner course after course, each plan then counted as busy (optimizer.greedy as it was)."""
    taken = list(busy)
    results = []
    for request in requests:
        result = PlanResult()
        for offset in range(start_window_days):
            shifted = replace(request, earliest_start=request.earliest_start + dt.timedelta(days=offset))
            attempt = plan_course(clinic, shifted, taken, horizon_days=0)
            if attempt.ok:
                result = attempt
                break
            result = attempt
        if result.ok:
            for s in result.sessions:
                taken.append(Busy("practitioner", s.practitioner_id, Interval(s.start, s.end)))
                taken.append(Busy("room", s.room_id, Interval(s.start, s.end)))
        results.append(result)
    return results
