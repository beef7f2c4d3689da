"""The CP-SAT batch optimizer: never fewer courses than greedy, every plan valid, no shared resources."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from cryoclinic.scheduling.optimizer import fits_alone, greedy, optimize_courses
from cryoclinic.scheduling.planner import validate_plan
from cryoclinic.scheduling.planning import (
    Busy,
    ClinicSpec,
    CourseRequest,
    CourseRules,
    Interval,
    PractitionerSpec,
    RoomSpec,
    TimeWindow,
)

MOSCOW = ZoneInfo("Europe/Moscow")
RULES = CourseRules(sessions=10, min_gap_days=2, max_gap_days=3, session_duration_min=20)
MON = dt.date(2026, 11, 30)
T = dt.time


def week(start, end, days=range(6)):
    return tuple(TimeWindow(d, start, end) for d in days)


def clinic(practitioners=1, rooms=1) -> ClinicSpec:
    return ClinicSpec(
        MOSCOW,
        week(T(9), T(21)),
        frozenset(),
        tuple(
            PractitionerSpec(i, frozenset({"facial-cryomassage"}), week(T(9), T(21)))
            for i in range(1, practitioners + 1)
        ),
        tuple(RoomSpec(10 + i) for i in range(rooms)),
    )


def request(client_id, start, end, **kw) -> CourseRequest:
    return CourseRequest(client_id, "facial-cryomassage", MON, week(start, end), RULES, **kw)


def _check_all(c, requests, busy, results):
    taken = list(busy)
    for req, result in zip(requests, results, strict=True):
        if result.ok:
            assert validate_plan(c, req, taken, result.sessions) == []
            for s in result.sessions:
                taken += [
                    Busy("practitioner", s.practitioner_id, Interval(s.start, s.end)),
                    Busy("room", s.room_id, Interval(s.start, s.end)),
                ]


def test_the_optimizer_places_a_course_greedy_order_loses():
    c = clinic()
    flexible = request(1, T(18), T(19))
    narrow = request(2, T(18), T(18, 20))  # only one slot a day, the one greedy gives away first
    requests = [flexible, narrow]
    assert [r.ok for r in greedy(c, requests, [], start_window_days=1)] == [True, False]
    results = optimize_courses(c, requests, [], time_limit_s=10, start_window_days=1)
    assert [r.ok for r in results] == [True, True]
    _check_all(c, requests, [], results)


def test_a_course_that_cannot_fit_is_reported_not_placed():
    c = clinic()
    requests = [request(1, T(18), T(18, 20)), request(2, T(18), T(18, 20))]
    results = optimize_courses(c, requests, [], time_limit_s=10, start_window_days=1)
    assert sorted(r.ok for r in results) == [False, True]
    assert all(r.failure is not None for r in results if not r.ok)


def test_existing_bookings_are_respected():
    c = clinic()
    blocked = Interval(dt.datetime(2026, 11, 30, 18, tzinfo=MOSCOW), dt.datetime(2026, 11, 30, 19, tzinfo=MOSCOW))
    busy = [Busy("practitioner", 1, blocked), Busy("room", 10, blocked)]
    requests = [request(1, T(18), T(20))]
    results = optimize_courses(c, requests, busy, time_limit_s=10, start_window_days=2)
    assert results[0].ok
    _check_all(c, requests, busy, results)


def test_random_batches_never_place_fewer_than_greedy_and_stay_valid():
    rng = random.Random(7)
    c = clinic(practitioners=2, rooms=1)
    requests = []
    for i in range(12):
        hour = rng.choice([10, 14, 18])
        days = sorted(rng.sample(range(6), 4))
        requests.append(
            CourseRequest(
                i,
                "facial-cryomassage",
                MON + dt.timedelta(days=rng.randrange(5)),
                week(T(hour), T(hour + 1), days),
                RULES,
            )
        )
    baseline = greedy(c, requests, [], start_window_days=3)
    results = optimize_courses(c, requests, [], time_limit_s=10, start_window_days=3)
    assert sum(r.ok for r in results) >= sum(r.ok for r in baseline)
    _check_all(c, requests, [], results)


def test_each_course_on_its_own_bounds_what_any_batch_places():
    c = clinic()
    narrow = [request(1, T(18), T(18, 20)), request(2, T(18), T(18, 20))]  # both fit alone, not together
    mondays_and_tuesdays = CourseRequest(3, "facial-cryomassage", MON, week(T(18), T(21), days=(0, 1)), RULES)
    requests = [*narrow, mondays_and_tuesdays]  # a 2–3 day gap never lands on Monday or Tuesday again
    assert fits_alone(c, requests, [], start_window_days=1) == [True, True, False]
    results = optimize_courses(c, requests, [], time_limit_s=10, start_window_days=1)
    assert sum(r.ok for r in results) == 1


def test_the_upper_bound_counts_existing_bookings():
    c = clinic()
    monday = Interval(dt.datetime(2026, 11, 30, 9, tzinfo=MOSCOW), dt.datetime(2026, 11, 30, 21, tzinfo=MOSCOW))
    busy = [Busy("practitioner", 1, monday)]
    assert fits_alone(c, [request(1, T(18), T(18, 20))], busy, start_window_days=1) == [False]
    assert fits_alone(c, [request(1, T(18), T(18, 20))], busy, start_window_days=2) == [True]


def test_without_time_to_search_the_most_constrained_course_still_goes_first():
    c = clinic()
    requests = [request(1, T(18), T(19)), request(2, T(18), T(18, 20))]
    assert [r.ok for r in greedy(c, requests, [], start_window_days=1)] == [True, False]
    results = optimize_courses(c, requests, [], time_limit_s=0, start_window_days=1)
    assert [r.ok for r in results] == [True, True]
    _check_all(c, requests, [], results)
