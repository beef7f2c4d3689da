"""The reports' arithmetic against small hand-computed examples (no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cryoclinic.reports.metrics import (
    AdverseEventRecord,
    CourseRecord,
    Period,
    ReadingRecord,
    SessionRecord,
    UseRecord,
    adverse_events_per_100,
    course_adherence,
    nitrogen_intervals,
    revenue_by_procedure,
    sessions_per_practitioner,
)

D = dt.date(2026, 10, 5)
MOSCOW = ZoneInfo("Europe/Moscow")


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def at(n: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day(n), dt.time(hour), tzinfo=MOSCOW)


def test_sessions_are_counted_per_practitioner_by_status():
    records = [
        SessionRecord("Анна", "facial-cryomassage", day(0), "done"),
        SessionRecord("Анна", "facial-cryomassage", day(1), "done"),
        SessionRecord("Анна", "facial-cryomassage", day(2), "done"),
        SessionRecord("Анна", "facial-cryomassage", day(3), "no_show"),
        SessionRecord("Ирина", "cryodestruction", day(0), "cancelled"),
        SessionRecord("Ирина", "cryodestruction", day(1), "done"),
        SessionRecord("Ольга", "facial-cryomassage", day(1), "booked"),  # not yet held: not in the report
    ]
    rows = sessions_per_practitioner(records)
    assert [(r.practitioner, r.done, r.no_show, r.cancelled) for r in rows] == [("Анна", 3, 1, 0), ("Ирина", 1, 0, 1)]
    assert rows[0].no_show_share == pytest.approx(1 / 4)  # one missed of four expected visits
    assert rows[1].no_show_share == 0


def test_revenue_is_done_sessions_times_their_booked_price_and_unpriced_ones_are_counted_apart():
    records = [
        SessionRecord("Анна", "facial-cryomassage", day(0), "done", 990),
        SessionRecord("Анна", "facial-cryomassage", day(2), "done", 990),
        SessionRecord("Ирина", "facial-cryomassage", day(4), "done", 1200),  # booked after a price change
        SessionRecord("Ирина", "facial-cryomassage", day(6), "no_show", 1200),
        SessionRecord("Ирина", "cryodestruction", day(6), "done", None),
        SessionRecord("Ирина", "cryodestruction", day(7), "done", 2500),
    ]
    rows = revenue_by_procedure(records)
    assert [(r.procedure, r.sessions, r.revenue_rub, r.unpriced) for r in rows] == [
        ("facial-cryomassage", 3, 990 + 990 + 1200, 0),
        ("cryodestruction", 2, 2500, 1),
    ]


def _course(course_id: int, gaps: list[int], *, planned: int = 10, booked_left: int = 0, **kw) -> CourseRecord:
    days = [day(0)]
    for gap in gaps:
        days.append(days[-1] + dt.timedelta(days=gap))
    return CourseRecord(course_id, "facial-cryomassage", planned, 2, 3, tuple(days), booked_left, **kw)


def test_adherence_is_the_share_of_gaps_within_the_course_rule_and_breaking_courses_are_listed():
    # Course 1: ten sessions, gaps 2,3,2,3,2,3,2,3,2 → all nine within 2..3 days, completed.
    # Course 2: four done, gaps 2, 5 (a no-show in between), 1 → two of three outside; two sessions still booked.
    # Course 3: three done, gaps 3, 2, then stopped (nothing booked) → incomplete.
    # Gaps: 9 + 3 + 2 = 14, within: 9 + 1 + 2 = 12 → 12/14. Completion of ended courses: 1 of 2 (course 2 runs).
    report = course_adherence(
        [_course(1, [2, 3, 2, 3, 2, 3, 2, 3, 2]), _course(2, [2, 5, 1], booked_left=2), _course(3, [3, 2])]
    )
    assert [r.state for r in report.rows] == ["completed", "in_progress", "incomplete"]
    assert (report.gaps, report.gaps_within) == (14, 12)
    assert report.adherence_share == pytest.approx(12 / 14)
    assert report.completion_share == pytest.approx(1 / 2)
    assert [r.course.course_id for r in report.breaking] == [2]
    assert [(g.after, g.before, g.days) for g in report.breaking[0].broken] == [
        (day(2), day(7), 5),
        (day(7), day(8), 1),
    ]


def test_a_cancelled_course_with_sessions_left_counts_as_stopped_short():
    report = course_adherence([_course(4, [2], booked_left=3, cancelled=True)])
    assert report.rows[0].state == "incomplete"
    assert report.completion_share == 0


def test_no_courses_give_no_shares_rather_than_a_division_by_zero():
    report = course_adherence([])
    assert report.adherence_share is None and report.completion_share is None


def test_nitrogen_used_is_compared_with_boil_off_and_session_rates_between_readings():
    # Fill to 30 L on day 0 09:00; reading 25.5 L on day 2 09:00 (two days); three sessions at 0.5 L and one
    # with no rate. Forecast: 2 × 0.75 boil-off + 3 × 0.5 = 3.0 L; used 4.5 L → 1.5 L more than forecast.
    # Then a fill on day 3 (the level before it was not measured: no span), reading 28 L on day 4 21:00
    # (1.5 days, one session): forecast 1.5 × 0.75 + 0.5 = 1.625 L; used 30 − 28 = 2 L.
    readings = [
        ReadingRecord(at(0), "fill", 30),
        ReadingRecord(at(2), "reading", 25.5),
        ReadingRecord(at(3), "fill", 30),
        ReadingRecord(at(4, 21), "reading", 28),
    ]
    uses = [UseRecord(at(0, 10), 0.5), UseRecord(at(1, 10), 0.5), UseRecord(at(1, 11), 0.5),
            UseRecord(at(1, 12), None), UseRecord(at(4, 10), 0.5), UseRecord(at(5, 10), 0.5)]
    spans = nitrogen_intervals(readings, uses, boil_off_l_per_day=0.75)
    assert [(s.start, s.end, s.used_l, s.predicted_l, s.sessions, s.unrated) for s in spans] == [
        (at(0), at(2), 4.5, 3.0, 4, 1),
        (at(3), at(4, 21), 2.0, 1.625, 1, 0),
    ]
    assert [s.difference_l for s in spans] == [1.5, 0.375]
    assert spans[1].days == 1.5


def test_adverse_events_per_100_sessions_by_type_and_practitioner():
    # Анна: 40 done sessions, 2 redness, 1 swelling → 5.0 and 2.5 per 100.
    # Ирина: 10 done, 1 redness → 10.0 per 100. Clinic: 50 sessions, 3 redness → 6.0, 1 swelling → 2.0.
    events = [
        AdverseEventRecord("Анна", "mild_redness", day(1)),
        AdverseEventRecord("Анна", "mild_redness", day(5)),
        AdverseEventRecord("Анна", "mild_swelling", day(5)),
        AdverseEventRecord("Ирина", "mild_redness", day(3)),
    ]
    rows = adverse_events_per_100(events, {"Анна": 40, "Ирина": 10})
    assert [(r.practitioner, r.code, r.events, r.sessions, r.per_100) for r in rows] == [
        ("", "mild_redness", 3, 50, 6.0),
        ("", "mild_swelling", 1, 50, 2.0),
        ("Анна", "mild_redness", 2, 40, 5.0),
        ("Анна", "mild_swelling", 1, 40, 2.5),
        ("Ирина", "mild_redness", 1, 10, 10.0),
    ]


def test_events_of_a_practitioner_without_done_sessions_have_no_rate():
    rows = adverse_events_per_100([AdverseEventRecord("Ольга", "cold_allergy", day(0))], {})
    assert [r.per_100 for r in rows] == [None, None]


def test_a_period_must_not_end_before_it_starts():
    assert day(3) in Period(day(0), day(3))
    with pytest.raises(ValueError, match="start on or before"):
        Period(day(3), day(0))
