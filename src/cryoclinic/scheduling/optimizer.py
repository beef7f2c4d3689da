"""The batch optimizer: place many courses at once with OR-Tools CP-SAT. Pure: no Django.

Column selection. For every course, candidate plans are built up front: a start day within the
window, a time of day and a practitioner kept for the whole course (two practitioners per start and
time, in turn from course to course), with each next session on the first day the gap rule, the
opening hours, the client's windows and the practitioner's hours allow. Greedy's plans (the
interactive planner, course after course) are added as candidates too, and so are those of greedy
run again with the most constrained courses first. CP-SAT then picks at most one candidate per
course so that no practitioner holds two sessions at once and no more sessions run at once than
there are rooms, maximizing fully placed courses first and preferences met second. Rooms are
assigned afterwards, slot by slot: sessions on one grid are intervals, so as many rooms as the peak
overlap always suffice. The better greedy selection is the solver's hint and its fallback, and the
time limit covers the whole call, so the optimizer never places fewer courses than greedy and
returns in time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from time import monotonic

from ortools.sat.python import cp_model

from .planner import BusyIndex, plan_within, to_us, weekday_starts
from .planning import (
    Busy,
    ClinicSpec,
    CourseRequest,
    PlanFailure,
    PlannedSession,
    PlanResult,
    PractitionerSpec,
)

PLACED_WEIGHT = 1000
ROOMS_MARGIN_S = 0.5  # left of the time limit for assigning rooms and returning


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
    taken = BusyIndex(busy)
    results = []
    for request in requests:
        result = plan_within(clinic, request, taken, start_window_days=start_window_days)
        taken.add_sessions(result.sessions)
        results.append(result)
    return results


def fits_alone(
    clinic: ClinicSpec, requests: Sequence[CourseRequest], busy: Sequence[Busy], *, start_window_days: int = 7
) -> list[bool]:
    """Whether each course fits on its own against `busy` alone, as if no other course of the batch existed.

    An upper bound for any batch: a course that does not fit alone fits in no batch. The planner's search is
    complete, so this is exact; what it leaves out is due to the clients' windows and the course rules, the
    rest of the gap to a batch's result is capacity."""
    taken = BusyIndex(busy)
    return [plan_within(clinic, r, taken, start_window_days=start_window_days).ok for r in requests]


def _practitioner_weekdays(
    clinic: ClinicSpec, request: CourseRequest, practitioners: Sequence[PractitionerSpec]
) -> dict[tuple[int, dt.time], frozenset[int]]:
    """For each practitioner and start time, the weekdays on which that start fits every window."""
    weekdays: dict[tuple[int, dt.time], set[int]] = defaultdict(set)
    for weekday in range(7):
        for time, practitioner_ids in weekday_starts(clinic, request, practitioners, weekday)[1].items():
            for practitioner_id in practitioner_ids:
                weekdays[(practitioner_id, time)].add(weekday)
    return {key: frozenset(days) for key, days in weekdays.items()}


def _fixed_plan(
    clinic: ClinicSpec,
    request: CourseRequest,
    practitioner: PractitionerSpec,
    weekdays: frozenset[int],
    start: dt.date,
    time: dt.time,
    taken: BusyIndex,
) -> tuple[PlannedSession, ...] | None:
    """One practitioner at one time of day for the whole course, each session on the first day the rules allow."""
    rules = request.rules
    duration = dt.timedelta(minutes=rules.session_duration_min)
    gaps = [dt.timedelta(days=g) for g in range(max(rules.min_gap_days, 1), rules.max_gap_days + 1)]
    absences = [(to_us(a.start), to_us(a.end)) for a in practitioner.absences]
    sessions: list[PlannedSession] = []
    day = start
    for index in range(1, rules.sessions + 1):
        for option in [day] if index == 1 else [day + gap for gap in gaps]:
            if option.weekday() not in weekdays or option in clinic.closed_days:
                continue
            begin = dt.datetime.combine(option, time, tzinfo=clinic.time_zone)
            end = begin + duration
            begin_us, end_us = to_us(begin), to_us(end)
            if any(a_start < end_us and begin_us < a_end for a_start, a_end in absences):
                continue
            if taken.overlapping("practitioner", practitioner.id, begin_us, end_us):
                continue
            sessions.append(PlannedSession(index, begin, end, practitioner.id, -1))
            day = option
            break
        else:
            return None
    return tuple(sessions)


def _cells(start: dt.datetime, end: dt.datetime, step_us: int) -> range:
    """The slot-grid cells a span touches: two spans on the grid overlap exactly when they share a cell."""
    return range(to_us(start) // step_us, (to_us(end) - 1) // step_us + 1)


def _fixed_candidates(
    clinic: ClinicSpec,
    requests: Sequence[CourseRequest],
    busy: Sequence[Busy],
    start_window_days: int,
    times_per_course: int,
    practitioners_per_plan: int,
) -> list[Candidate]:
    taken = BusyIndex(busy)
    candidates: list[Candidate] = []
    for c, request in enumerate(requests):
        practitioners = [p for p in clinic.practitioners if request.procedure in p.procedures]
        weekdays = _practitioner_weekdays(clinic, request, practitioners)
        times = sorted({time for _, time in weekdays})
        if request.preferred_time in times:
            times.remove(request.preferred_time)
            times.insert(0, request.preferred_time)
        # Spread the tried times over the client's windows.
        stride = max(1, len(times) // times_per_course)
        chosen_times = times[::stride][:times_per_course]
        # Practitioners in turn from course to course (the preferred one first): a few per plan suffice, and
        # fewer symmetric copies of one plan leave the solver less to presolve.
        turn = c % max(len(practitioners), 1)
        practitioners = practitioners[turn:] + practitioners[:turn]
        practitioners.sort(key=lambda p: p.id != request.preferred_practitioner_id)
        for offset in range(start_window_days):
            start = request.earliest_start + dt.timedelta(days=offset)
            for time in chosen_times:
                found = 0
                for practitioner in practitioners:
                    allowed = weekdays.get((practitioner.id, time), frozenset())
                    plan = _fixed_plan(clinic, request, practitioner, allowed, start, time, taken)
                    if plan is not None:
                        candidates.append(Candidate(c, plan, 2))
                        found += 1
                        if found == practitioners_per_plan:
                            break
    return candidates


def _score(clinic: ClinicSpec, results: Sequence[PlanResult]) -> int:
    """The optimizer's objective for a whole selection: placed courses first, then preferences met."""
    return sum(PLACED_WEIGHT + preferences_met(r.sessions, clinic) for r in results if r.ok)


def _constrained_first(
    clinic: ClinicSpec,
    requests: Sequence[CourseRequest],
    busy: Sequence[Busy],
    options: Sequence[int],
    start_window_days: int,
) -> list[PlanResult]:
    """Greedy again, the courses with the fewest candidate plans first: a far better start for the solver
    than the order of arrival, for the cost of one more greedy pass."""
    order = sorted(range(len(requests)), key=lambda c: options[c])
    reordered = greedy(clinic, [requests[c] for c in order], busy, start_window_days=start_window_days)
    results = [PlanResult()] * len(requests)
    for position, c in enumerate(order):
        results[c] = reordered[position]
    return results


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
    practitioners_per_plan: int = 2,
    hint: Sequence[PlanResult] | None = None,
) -> list[PlanResult]:
    """Place as many whole courses as possible, then meet as many preferences as possible.

    `time_limit_s` bounds the whole call (greedy when no hint, candidate plans, the search): the solver gets
    what is left. `hint`: greedy's plans for the same requests when already computed; otherwise greedy runs
    first. The better of greedy and greedy with the most constrained courses first is the solver's hint and
    the fallback, so the result never places fewer courses than greedy.
    """
    began = monotonic()
    baseline = list(hint) if hint is not None else greedy(clinic, requests, busy, start_window_days=start_window_days)
    candidates = _fixed_candidates(
        clinic, requests, busy, start_window_days, times_per_course, practitioners_per_plan
    )
    options = [0] * len(requests)
    for candidate in candidates:
        options[candidate.course] += 1
    reordered = _constrained_first(clinic, requests, busy, options, start_window_days)
    fallback = reordered if _score(clinic, reordered) > _score(clinic, baseline) else baseline
    known: dict[tuple[int, tuple[PlannedSession, ...]], int] = {}
    for results in (fallback, baseline, reordered):
        for c, result in enumerate(results):
            plan = (c, tuple(result.sessions))
            if result.ok and plan not in known:
                known[plan] = len(candidates)
                candidates.append(Candidate(c, plan[1], preferences_met(result.sessions, clinic)))
    hinted = {known[(c, tuple(r.sessions))] for c, r in enumerate(fallback) if r.ok}

    model, chosen = _model(clinic, candidates, busy)
    for i, variable in enumerate(chosen):
        model.add_hint(variable, i in hinted)
    left_s = time_limit_s - (monotonic() - began) - ROOMS_MARGIN_S
    if left_s <= 0:
        return fallback
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = left_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return fallback
    picked = {candidates[i].course: candidates[i] for i in range(len(candidates)) if solver.value(chosen[i])}
    results = _assign_rooms(clinic, requests, picked, busy, baseline)
    if _score(clinic, results) < _score(clinic, fallback):
        return fallback
    return results


def _model(
    clinic: ClinicSpec, candidates: Sequence[Candidate], busy: Sequence[Busy]
) -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    """At most one plan per course, no practitioner twice at once, no more sessions at once than free rooms."""
    step_us = clinic.slot_step_min * 60_000_000
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{i}") for i in range(len(candidates))]
    by_course: dict[int, list[int]] = defaultdict(list)
    by_practitioner_cell: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_room_cell: dict[int, list[int]] = defaultdict(list)
    for i, candidate in enumerate(candidates):
        by_course[candidate.course].append(i)
        for session in candidate.sessions:
            for cell in _cells(session.start, session.end, step_us):
                by_practitioner_cell[(session.practitioner_id, cell)].append(i)
                by_room_cell[cell].append(i)
    for members in by_course.values():
        model.add_at_most_one(chosen[i] for i in members)
    for members in by_practitioner_cell.values():
        if len(members) > 1:
            model.add_at_most_one(chosen[i] for i in members)
    busy_rooms: dict[int, set[int]] = defaultdict(set)
    for item in busy:
        if item.kind == "room":
            for cell in _cells(item.interval.start, item.interval.end, step_us):
                busy_rooms[cell].add(item.resource_id)
    room_count = len(clinic.rooms)
    for cell, members in by_room_cell.items():
        capacity = room_count - len(busy_rooms.get(cell, ()))
        if len(members) > capacity:
            model.add(sum(chosen[i] for i in members) <= max(capacity, 0))
    model.maximize(sum(chosen[i] * (PLACED_WEIGHT + c.preferences) for i, c in enumerate(candidates)))
    return model, chosen


def _assign_rooms(
    clinic: ClinicSpec,
    requests: Sequence[CourseRequest],
    picked: dict[int, Candidate],
    busy: Sequence[Busy],
    baseline: list[PlanResult],
) -> list[PlanResult]:
    taken = BusyIndex(b for b in busy if b.kind == "room")
    placed: dict[int, list[PlannedSession]] = defaultdict(list)
    sessions = sorted(((c, s) for c, cand in picked.items() for s in cand.sessions), key=lambda item: item[1].start)
    unplaced: set[int] = set()
    for course, session in sessions:
        procedure = requests[course].procedure
        room = next(
            (
                r
                for r in clinic.rooms
                if (r.procedures is None or procedure in r.procedures)
                and taken.free("room", r.id, session.start, session.end)
            ),
            None,
        )
        if room is None:
            unplaced.add(course)
            continue
        taken.add("room", room.id, session.start, session.end)
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
