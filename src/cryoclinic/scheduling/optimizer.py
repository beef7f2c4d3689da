"""The batch optimizer: place many courses at once with OR-Tools CP-SAT. Pure: no Django.

Column selection. For every course, candidate plans are built up front: a start day within the
window, a time of day and a practitioner kept for the whole course, with each next session on the
first day the gap rule, the opening hours, the client's windows and the practitioner's hours allow.
The greedy plans (the interactive planner, course after course) are added as candidates too. CP-SAT
then picks at most one candidate per course so that no practitioner holds two sessions at once and
no more sessions run at once than there are rooms, maximizing fully placed courses first and
preferences met second. Rooms are assigned afterwards, slot by slot: sessions on one grid are
intervals, so as many rooms as the peak overlap always suffice. The greedy selection is the solver's
hint and its fallback, so the optimizer never places fewer courses than greedy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from .planner import _intersect, _Occupancy, _windows, plan_course
from .planning import (
    Busy,
    ClinicSpec,
    CourseRequest,
    Interval,
    PlanFailure,
    PlannedSession,
    PlanResult,
    PractitionerSpec,
)

PLACED_WEIGHT = 1000


@dataclass(frozen=True)
class Candidate:
    course: int  # index into the requests
    sessions: tuple[PlannedSession, ...]  # room_id is provisional until rooms are assigned
    preferences: int  # 0–2: one practitioner, one time of day


def preferences_met(sessions: Sequence[PlannedSession], clinic: ClinicSpec) -> int:
    practitioners = {s.practitioner_id for s in sessions}
    times = {s.start.astimezone(clinic.time_zone).time() for s in sessions}
    return int(len(practitioners) == 1) + int(len(times) == 1)


def greedy(
    clinic: ClinicSpec, requests: Sequence[CourseRequest], busy: Sequence[Busy], *, start_window_days: int = 7
) -> list[PlanResult]:
    """The interactive planner course after course, each plan then counted as busy; the baseline."""
    taken = list(busy)
    results = []
    for request in requests:
        result = PlanResult()
        for offset in range(start_window_days):
            attempt = plan_course(clinic, _shifted(request, offset), taken, horizon_days=0)
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


def _shifted(request: CourseRequest, offset: int) -> CourseRequest:
    return replace(request, earliest_start=request.earliest_start + dt.timedelta(days=offset))


def _candidate_times(
    clinic: ClinicSpec, request: CourseRequest, duration: dt.timedelta, step_min: int
) -> list[dt.time]:
    times = set()
    for weekday in range(7):
        for start, end in _intersect(_windows(clinic.opening_hours, weekday), _windows(request.availability, weekday)):
            moment = dt.datetime.combine(dt.date(2000, 1, 3), start)
            last = dt.datetime.combine(dt.date(2000, 1, 3), end) - duration
            while moment <= last:
                times.add(moment.time())
                moment += dt.timedelta(minutes=step_min)
    return sorted(times)


def _fixed_plan(
    clinic: ClinicSpec,
    request: CourseRequest,
    practitioner: PractitionerSpec,
    start: dt.date,
    time: dt.time,
    occupancy: _Occupancy,
) -> tuple[PlannedSession, ...] | None:
    rules = request.rules
    duration = dt.timedelta(minutes=rules.session_duration_min)
    sessions: list[PlannedSession] = []
    day = start
    for index in range(1, rules.sessions + 1):
        options = (
            [day]
            if index == 1
            else [day + dt.timedelta(days=g) for g in range(rules.min_gap_days, rules.max_gap_days + 1)]
        )
        for option in options:
            begin = dt.datetime.combine(option, time, tzinfo=clinic.time_zone)
            end = begin + duration
            weekday = option.weekday()
            windows = _intersect(
                _intersect(_windows(clinic.opening_hours, weekday), _windows(request.availability, weekday)),
                _windows(practitioner.hours, weekday),
            )
            interval = Interval(begin, end)
            if (
                option not in clinic.closed_days
                and any(s <= time and end.time() <= e for s, e in windows)
                and not any(interval.overlaps(a) for a in practitioner.absences)
                and occupancy.free("practitioner", practitioner.id, interval)
            ):
                sessions.append(PlannedSession(index, begin, end, practitioner.id, -1))
                day = option
                break
        else:
            return None
    return tuple(sessions)


def _cells(session: PlannedSession, step: dt.timedelta) -> list[dt.datetime]:
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    first = epoch + ((session.start - epoch) // step) * step
    cells = []
    moment = first
    while moment < session.end:
        cells.append(moment)
        moment += step
    return cells


def optimize_courses(
    clinic: ClinicSpec,
    requests: Sequence[CourseRequest],
    busy: Sequence[Busy],
    *,
    time_limit_s: float = 30.0,
    workers: int = 2,
    seed: int = 0,
    start_window_days: int = 7,
    times_per_course: int = 4,
    hint: Sequence[PlanResult] | None = None,
) -> list[PlanResult]:
    """Place as many whole courses as possible, then meet as many preferences as possible.

    `hint`: greedy's plans for the same requests when already computed; otherwise greedy runs first.
    """
    if hint is not None:
        baseline = list(hint)
    else:
        baseline = greedy(clinic, requests, busy, start_window_days=start_window_days)
    occupancy = _Occupancy(busy)
    step = dt.timedelta(minutes=clinic.slot_step_min)
    candidates: list[Candidate] = []
    for c, request in enumerate(requests):
        duration = dt.timedelta(minutes=request.rules.session_duration_min)
        times = _candidate_times(clinic, request, duration, clinic.slot_step_min)
        if request.preferred_time in times:
            times.remove(request.preferred_time)
            times.insert(0, request.preferred_time)
        # Spread the tried times over the client's windows.
        stride = max(1, len(times) // times_per_course)
        chosen_times = times[::stride][:times_per_course]
        practitioners = [p for p in clinic.practitioners if request.procedure in p.procedures]
        for offset in range(start_window_days):
            start = request.earliest_start + dt.timedelta(days=offset)
            for time in chosen_times:
                for practitioner in practitioners:
                    plan = _fixed_plan(clinic, request, practitioner, start, time, occupancy)
                    if plan is not None:
                        candidates.append(Candidate(c, plan, 2))
        if baseline[c].ok:
            candidates.append(Candidate(c, tuple(baseline[c].sessions), preferences_met(baseline[c].sessions, clinic)))

    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{i}") for i in range(len(candidates))]
    by_course: dict[int, list[int]] = defaultdict(list)
    by_practitioner_cell: dict[tuple[int, dt.datetime], list[int]] = defaultdict(list)
    by_room_cell: dict[dt.datetime, list[int]] = defaultdict(list)
    for i, candidate in enumerate(candidates):
        by_course[candidate.course].append(i)
        for session in candidate.sessions:
            for cell in _cells(session, step):
                by_practitioner_cell[(session.practitioner_id, cell)].append(i)
                by_room_cell[cell].append(i)
    for members in by_course.values():
        model.add_at_most_one(chosen[i] for i in members)
    for members in by_practitioner_cell.values():
        if len(members) > 1:
            model.add_at_most_one(chosen[i] for i in members)
    busy_rooms: dict[dt.datetime, set[int]] = defaultdict(set)
    for item in busy:
        if item.kind == "room":
            for cell in _cells(PlannedSession(0, item.interval.start, item.interval.end, 0, 0), step):
                busy_rooms[cell].add(item.resource_id)
    room_count = len(clinic.rooms)
    for cell, members in by_room_cell.items():
        capacity = room_count - len(busy_rooms.get(cell, ()))
        if len(members) > capacity:
            model.add(sum(chosen[i] for i in members) <= max(capacity, 0))
    model.maximize(sum(chosen[i] * (PLACED_WEIGHT + c.preferences) for i, c in enumerate(candidates)))
    greedy_index = {
        c.course: i
        for i, c in enumerate(candidates)
        if c.sessions == tuple(baseline[c.course].sessions) and baseline[c.course].ok
    }
    for i in range(len(candidates)):
        model.add_hint(chosen[i], i in greedy_index.values())

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return baseline
    picked = {candidates[i].course: candidates[i] for i in range(len(candidates)) if solver.value(chosen[i])}
    if len(picked) < sum(r.ok for r in baseline):
        return baseline
    return _assign_rooms(clinic, requests, picked, busy, baseline)


def _assign_rooms(
    clinic: ClinicSpec,
    requests: Sequence[CourseRequest],
    picked: dict[int, Candidate],
    busy: Sequence[Busy],
    baseline: list[PlanResult],
) -> list[PlanResult]:
    occupancy = _Occupancy([b for b in busy if b.kind == "room"])
    placed: dict[int, list[PlannedSession]] = defaultdict(list)
    sessions = sorted(((c, s) for c, cand in picked.items() for s in cand.sessions), key=lambda item: item[1].start)
    unplaced: set[int] = set()
    for course, session in sessions:
        interval = Interval(session.start, session.end)
        procedure = requests[course].procedure
        room = next(
            (
                r
                for r in clinic.rooms
                if (r.procedures is None or procedure in r.procedures) and occupancy.free("room", r.id, interval)
            ),
            None,
        )
        if room is None:
            unplaced.add(course)
            continue
        occupancy._add("room", room.id, interval)
        placed[course].append(
            PlannedSession(session.index, session.start, session.end, session.practitioner_id, room.id)
        )
    results = []
    for c in range(len(requests)):
        if c in placed and c not in unplaced:
            results.append(PlanResult(sessions=sorted(placed[c], key=lambda s: s.index)))
        else:
            failure = baseline[c].failure or PlanFailure(1, "room_busy", "Not placed in this batch.")
            results.append(PlanResult(failure=failure))
    return results
