"""The course planner: the course rules, hours, absences, bookings, time zones, preferences, failures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from cryoclinic.scheduling.planner import BusyIndex, plan_course, validate_plan
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
RULES = CourseRules(sessions=10, min_gap_days=2, max_gap_days=3, session_duration_min=20)  # seed#course-duration
MON = dt.date(2026, 11, 30)
T = dt.time


def week(start: dt.time, end: dt.time, days=range(7)) -> tuple[TimeWindow, ...]:
    return tuple(TimeWindow(d, start, end) for d in days)


def clinic(*, tz=MOSCOW, opening=None, closed=(), practitioners=None, rooms=None) -> ClinicSpec:
    return ClinicSpec(
        time_zone=tz,
        opening_hours=opening or week(T(9), T(21), range(6)),
        closed_days=frozenset(closed),
        practitioners=practitioners
        or (
            PractitionerSpec(1, frozenset({"facial-cryomassage"}), week(T(9), T(21))),
            PractitionerSpec(2, frozenset({"facial-cryomassage"}), week(T(9), T(21))),
        ),
        rooms=rooms or (RoomSpec(10), RoomSpec(11)),
    )


def request(**kw) -> CourseRequest:
    defaults = dict(
        client_id=1, procedure="facial-cryomassage", earliest_start=MON, availability=week(T(18), T(21)), rules=RULES
    )
    return CourseRequest(**(defaults | kw))


def days_of(result, tz=MOSCOW) -> list[dt.date]:
    return [s.start.astimezone(tz).date() for s in result.sessions]


def test_a_full_course_is_ten_sessions_two_to_three_days_apart_on_open_days():
    c, r = clinic(), request()
    result = plan_course(c, r, [])
    assert result.ok and len(result.sessions) == 10
    days = days_of(result)
    assert all(2 <= (b - a).days <= 3 for a, b in zip(days, days[1:], strict=False))
    assert all(d.weekday() != 6 for d in days)  # closed on Sundays
    assert validate_plan(c, r, [], result.sessions) == []


def test_one_practitioner_and_one_time_of_day_are_kept_when_possible():
    result = plan_course(clinic(), request(preferred_time=T(19)), [])
    assert {s.practitioner_id for s in result.sessions} == {1}
    assert {s.start.astimezone(MOSCOW).time() for s in result.sessions} == {T(19)}


def test_the_preferred_practitioner_is_used():
    result = plan_course(clinic(), request(preferred_practitioner_id=2), [])
    assert {s.practitioner_id for s in result.sessions} == {2}


def test_sessions_stay_inside_the_clients_windows_and_the_practitioners_hours():
    practitioners = (PractitionerSpec(1, frozenset({"facial-cryomassage"}), week(T(19), T(20))),)
    c, r = clinic(practitioners=practitioners), request()
    result = plan_course(c, r, [])
    assert result.ok
    assert all(T(19) <= s.start.astimezone(MOSCOW).time() <= T(19, 40) for s in result.sessions)
    assert validate_plan(c, r, [], result.sessions) == []


def test_an_absence_and_existing_bookings_are_avoided():
    absent = Interval(dt.datetime(2026, 11, 30, tzinfo=MOSCOW), dt.datetime(2026, 12, 20, tzinfo=MOSCOW))
    practitioners = (
        PractitionerSpec(1, frozenset({"facial-cryomassage"}), week(T(9), T(21)), absences=(absent,)),
        PractitionerSpec(2, frozenset({"facial-cryomassage"}), week(T(9), T(21))),
    )
    evening = [
        Busy(
            "practitioner",
            2,
            Interval(dt.datetime(2026, 11, 30, 18, tzinfo=MOSCOW), dt.datetime(2026, 11, 30, 20, tzinfo=MOSCOW)),
        )
    ]
    c, r = clinic(practitioners=practitioners), request(preferred_practitioner_id=1)
    result = plan_course(c, r, evening)
    assert result.ok
    assert validate_plan(c, r, evening, result.sessions) == []
    first = result.sessions[0]
    assert first.start.astimezone(MOSCOW) >= dt.datetime(2026, 11, 30, 20, tzinfo=MOSCOW)


def test_a_busy_room_is_never_double_booked():
    busy = [
        Busy(
            "room",
            10,
            Interval(dt.datetime(2026, 11, 30, 18, tzinfo=MOSCOW), dt.datetime(2026, 11, 30, 21, tzinfo=MOSCOW)),
        )
    ]
    c, r = clinic(rooms=(RoomSpec(10), RoomSpec(11))), request()
    result = plan_course(c, r, busy)
    assert result.sessions[0].room_id == 11
    assert validate_plan(c, r, busy, result.sessions) == []


def test_a_closed_start_day_fails_and_offers_the_next_open_day():
    closed = {MON + dt.timedelta(days=d) for d in range(0, 3)}
    result = plan_course(clinic(closed=closed), request(), [])
    assert (result.failure.session_index, result.failure.constraint) == (1, "closed_day")
    assert result.nearest_start == MON + dt.timedelta(days=3)


def test_a_closed_day_inside_the_course_is_stepped_over():
    closed = {MON + dt.timedelta(days=2)}
    result = plan_course(clinic(closed=closed), request(), [])
    assert result.ok and MON + dt.timedelta(days=2) not in days_of(result)


def test_a_clinic_outside_moscow_plans_in_its_own_time_zone():
    vladivostok = ZoneInfo("Asia/Vladivostok")
    result = plan_course(clinic(tz=vladivostok), request(preferred_time=T(18)), [])
    assert result.sessions[0].start == dt.datetime(2026, 11, 30, 18, tzinfo=vladivostok)
    assert result.sessions[0].start.astimezone(MOSCOW).hour == 11


def test_local_times_hold_across_a_daylight_saving_change():
    berlin = ZoneInfo("Europe/Berlin")
    result = plan_course(clinic(tz=berlin), request(earliest_start=dt.date(2026, 3, 23), preferred_time=T(19)), [])
    assert {s.start.astimezone(berlin).time() for s in result.sessions} == {T(19)}
    offsets = {s.start.utcoffset() for s in result.sessions}
    assert offsets == {dt.timedelta(hours=1), dt.timedelta(hours=2)}  # the course spans 29 March


def test_failure_names_the_session_and_the_constraint_and_offers_the_nearest_start():
    # The client can only come on Mondays and Tuesdays: a 2–3 day gap from Tuesday lands on Thu/Fri.
    result = plan_course(clinic(), request(availability=week(T(18), T(21), days=(0, 1))), [])
    assert not result.ok
    assert result.failure.session_index == 2
    assert result.failure.constraint == "client_availability"
    assert "Session 2" in result.failure.message
    assert result.nearest_start is None  # no start ever fits these windows


def test_a_busy_stretch_gives_the_nearest_start_after_it():
    stretch = Interval(dt.datetime(2026, 11, 30, tzinfo=MOSCOW), dt.datetime(2026, 12, 5, tzinfo=MOSCOW))
    busy = [Busy("room", room, stretch) for room in (10, 11)]
    result = plan_course(clinic(), request(), busy)
    assert not result.ok and result.failure.constraint == "room_busy"
    assert result.nearest_start == dt.date(2026, 12, 5)


def test_replanning_the_rest_keeps_the_interval_from_the_last_kept_session():
    r = request(first_index=4, previous_session=dt.date(2026, 12, 7), earliest_start=dt.date(2026, 12, 8))
    result = plan_course(clinic(), r, [])
    assert [s.index for s in result.sessions] == list(range(4, 11))
    assert 2 <= (days_of(result)[0] - dt.date(2026, 12, 7)).days <= 3
    assert validate_plan(clinic(), r, [], result.sessions) == []


def test_replanning_fails_with_the_interval_when_the_gap_cannot_be_kept():
    closed = {dt.date(2026, 12, 9), dt.date(2026, 12, 10)}
    r = request(first_index=4, previous_session=dt.date(2026, 12, 7), earliest_start=dt.date(2026, 12, 8))
    result = plan_course(clinic(closed=closed), r, [])
    assert not result.ok and result.failure.session_index == 4 and result.failure.constraint == "closed_day"


@settings(max_examples=25, deadline=None)
@given(
    start_offset=st.integers(0, 20),
    client_days=st.sets(st.integers(0, 6), min_size=4),
    busy_hours=st.lists(st.tuples(st.integers(0, 30), st.integers(9, 20), st.sampled_from([1, 2])), max_size=15),
)
def test_every_plan_keeps_every_rule(start_offset, client_days, busy_hours):
    busy = [
        Busy(
            "practitioner",
            who,
            Interval(
                dt.datetime.combine(MON + dt.timedelta(days=d), T(h), tzinfo=MOSCOW),
                dt.datetime.combine(MON + dt.timedelta(days=d), T(h), tzinfo=MOSCOW) + dt.timedelta(hours=1),
            ),
        )
        for d, h, who in busy_hours
    ]
    c = clinic()
    r = request(earliest_start=MON + dt.timedelta(days=start_offset), availability=week(T(17), T(21), client_days))
    result = plan_course(c, r, busy)
    if result.ok:
        assert validate_plan(c, r, busy, result.sessions) == []
    else:
        assert result.failure is not None and result.failure.session_index >= 1


def _day_path_exists(closed: set[dt.date], start: dt.date, rules: CourseRules) -> bool:
    """The oracle for an empty clinic open every day but `closed`: some run of days keeps the interval."""
    reachable = {start} - closed
    for _ in range(rules.sessions - 1):
        gaps = range(rules.min_gap_days, rules.max_gap_days + 1)
        reachable = {day + dt.timedelta(days=g) for day in reachable for g in gaps} - closed
    return bool(reachable)


def test_a_course_is_found_behind_many_dead_ends():
    # Few runs of days get through these closed days: a search that gives up after so many tries misses them.
    closed = {MON + dt.timedelta(days=d) for d in (2, 7, 10, 13, 16, 19, 20, 22, 23, 26, 29)}
    c, r = clinic(closed=closed, opening=week(T(9), T(21))), request()
    result = plan_course(c, r, [])
    assert result.ok
    assert validate_plan(c, r, [], result.sessions) == []


@settings(max_examples=40, deadline=None)
@given(closed_offsets=st.sets(st.integers(0, 40), max_size=16))
def test_a_course_fits_exactly_when_a_run_of_open_days_keeps_the_interval(closed_offsets):
    closed = {MON + dt.timedelta(days=d) for d in closed_offsets}
    c, r = clinic(closed=closed, opening=week(T(9), T(21))), request()
    result = plan_course(c, r, [], horizon_days=5)
    assert result.ok == _day_path_exists(closed, MON, RULES)
    if not result.ok:
        later = (MON + dt.timedelta(days=k) for k in range(1, 6))
        assert result.nearest_start == next((d for d in later if _day_path_exists(closed, d, RULES)), None)


def test_sessions_of_one_course_fall_on_different_days_even_when_the_rules_allow_the_same_day():
    rules = CourseRules(sessions=3, min_gap_days=0, max_gap_days=2, session_duration_min=20)
    c, r = clinic(), request(rules=rules)
    result = plan_course(c, r, [])
    assert result.ok and len(set(days_of(result))) == 3
    assert validate_plan(c, r, [], result.sessions) == []


def test_a_booking_across_utc_midnight_is_found_from_either_day():
    midnight = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    minutes = dt.timedelta(minutes=1)
    index = BusyIndex([Busy("room", 10, Interval(midnight - 10 * minutes, midnight + 10 * minutes))])
    assert not index.free("room", 10, midnight - 30 * minutes, midnight - 5 * minutes)
    assert not index.free("room", 10, midnight + 5 * minutes, midnight + 25 * minutes)
    assert index.free("room", 10, midnight + 10 * minutes, midnight + 30 * minutes)  # touching is not overlapping
    assert index.free("room", 11, midnight - 5 * minutes, midnight + 5 * minutes)


def test_bookings_given_as_an_index_plan_as_the_list_does():
    evening = Interval(dt.datetime(2026, 11, 30, 18, tzinfo=MOSCOW), dt.datetime(2026, 12, 4, 20, tzinfo=MOSCOW))
    busy = [Busy("practitioner", 1, evening), Busy("room", 10, evening)]
    from_list = plan_course(clinic(), request(), busy)
    assert from_list.ok and from_list.sessions == plan_course(clinic(), request(), BusyIndex(busy)).sessions
    assert validate_plan(clinic(), request(), busy, from_list.sessions) == []
