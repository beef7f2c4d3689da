"""The reports' arithmetic over plain records: no Django, no database, checked against hand-computed examples.

`queries.py` turns rows into these records; views only render what comes back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DONE, NO_SHOW, CANCELLED, BOOKED = "done", "no_show", "cancelled", "booked"


def share(part: int, whole: int) -> float | None:
    """`part / whole`, or None where there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Period:
    """Whole days, both ends included, in the clinic's time zone."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("the period must start on or before its end")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


# Sessions per practitioner


@dataclass(frozen=True)
class SessionRecord:
    practitioner: str
    procedure: str
    day: dt.date
    status: str
    price_rub: int | None = None


@dataclass(frozen=True)
class PractitionerRow:
    practitioner: str
    done: int
    no_show: int
    cancelled: int

    @property
    def no_show_share(self) -> float | None:
        """No-shows among the sessions the client was expected at (done + no-show)."""
        return share(self.no_show, self.done + self.no_show)


def sessions_per_practitioner(sessions: Iterable[SessionRecord]) -> list[PractitionerRow]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s in sessions:
        counts[s.practitioner][s.status] += 1
    return [
        PractitionerRow(name, c[DONE], c[NO_SHOW], c[CANCELLED])
        for name, c in sorted(counts.items(), key=lambda item: (-item[1][DONE], item[0]))
        if c[DONE] or c[NO_SHOW] or c[CANCELLED]
    ]


# Revenue by procedure


@dataclass(frozen=True)
class RevenueRow:
    procedure: str
    sessions: int
    revenue_rub: int
    unpriced: int  # done sessions with no price snapshot: left out of the sum, not guessed


def revenue_by_procedure(sessions: Iterable[SessionRecord]) -> list[RevenueRow]:
    """Done sessions × the price each was booked at."""
    done: Counter[str] = Counter()
    revenue: Counter[str] = Counter()
    unpriced: Counter[str] = Counter()
    for s in sessions:
        if s.status != DONE:
            continue
        done[s.procedure] += 1
        if s.price_rub is None:
            unpriced[s.procedure] += 1
        else:
            revenue[s.procedure] += s.price_rub
    return sorted(
        (RevenueRow(p, done[p], revenue[p], unpriced[p]) for p in done), key=lambda r: (-r.revenue_rub, r.procedure)
    )


# Course completion and the interval rule


@dataclass(frozen=True)
class CourseRecord:
    course_id: int
    procedure: str
    sessions_planned: int
    min_gap_days: int
    max_gap_days: int
    done_days: tuple[dt.date, ...]
    booked_left: int  # sessions still booked: the course is under way
    cancelled: bool = False


@dataclass(frozen=True)
class Gap:
    after: dt.date
    before: dt.date

    @property
    def days(self) -> int:
        return (self.before - self.after).days


@dataclass(frozen=True)
class CourseRow:
    course: CourseRecord
    done: int
    state: str  # "completed", "in_progress", "incomplete"
    gaps: tuple[Gap, ...]
    broken: tuple[Gap, ...]  # the gaps outside min..max days


@dataclass(frozen=True)
class AdherenceReport:
    rows: tuple[CourseRow, ...]
    completed: int
    in_progress: int
    incomplete: int
    gaps: int
    gaps_within: int

    @property
    def completion_share(self) -> float | None:
        """Completed among the courses that have ended (completed or stopped short), not those under way."""
        return share(self.completed, self.completed + self.incomplete)

    @property
    def adherence_share(self) -> float | None:
        return share(self.gaps_within, self.gaps)

    @property
    def breaking(self) -> tuple[CourseRow, ...]:
        return tuple(r for r in self.rows if r.broken)


def course_row(course: CourseRecord) -> CourseRow:
    days = sorted(course.done_days)
    gaps = tuple(Gap(a, b) for a, b in zip(days, days[1:], strict=False))
    broken = tuple(g for g in gaps if not course.min_gap_days <= g.days <= course.max_gap_days)
    if len(days) >= course.sessions_planned:
        state = "completed"
    elif course.booked_left and not course.cancelled:
        state = "in_progress"
    else:
        state = "incomplete"
    return CourseRow(course, len(days), state, gaps, broken)


def course_adherence(courses: Iterable[CourseRecord]) -> AdherenceReport:
    """Completion per course, and the share of consecutive done sessions whose gap keeps the course's rule."""
    rows = tuple(course_row(c) for c in sorted(courses, key=lambda c: c.course_id))
    states = Counter(r.state for r in rows)
    gaps = sum(len(r.gaps) for r in rows)
    within = gaps - sum(len(r.broken) for r in rows)
    return AdherenceReport(rows, states["completed"], states["in_progress"], states["incomplete"], gaps, within)


# Nitrogen used against the forecast


@dataclass(frozen=True)
class ReadingRecord:
    at: dt.datetime
    kind: str  # "fill" (the level after filling) or "reading"
    level_l: float


@dataclass(frozen=True)
class UseRecord:
    at: dt.datetime
    litres: float | None  # None: no consumption rate for the session's procedure and technique


@dataclass(frozen=True)
class NitrogenInterval:
    start: dt.datetime
    end: dt.datetime
    used_l: float
    predicted_l: float
    sessions: int
    unrated: int

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    @property
    def difference_l(self) -> float:
        """Positive: more nitrogen went than the forecast's rates account for."""
        return round(self.used_l - self.predicted_l, 3)


def nitrogen_intervals(
    readings: Sequence[ReadingRecord], sessions: Sequence[UseRecord], *, boil_off_l_per_day: float
) -> list[NitrogenInterval]:
    """Each span from a reading or fill to the next measured reading: litres gone vs boil-off + sessions' rates.

    A span that ends in a fill is skipped: the level just before filling was not measured.
    """
    ordered = sorted(readings, key=lambda r: r.at)
    spans = []
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.kind != "reading":
            continue
        held = [s for s in sessions if first.at <= s.at < second.at]
        days = (second.at - first.at).total_seconds() / 86400
        predicted = boil_off_l_per_day * days + sum(s.litres or 0.0 for s in held)
        spans.append(
            NitrogenInterval(
                first.at,
                second.at,
                round(first.level_l - second.level_l, 3),
                round(predicted, 3),
                len(held),
                sum(s.litres is None for s in held),
            )
        )
    return spans


# Adverse events per 100 sessions


@dataclass(frozen=True)
class AdverseEventRecord:
    practitioner: str
    code: str
    day: dt.date


@dataclass(frozen=True)
class AdverseRateRow:
    practitioner: str  # "" for the clinic as a whole
    code: str
    events: int
    sessions: int

    @property
    def per_100(self) -> float | None:
        return None if not self.sessions else round(100 * self.events / self.sessions, 1)


def adverse_events_per_100(
    events: Iterable[AdverseEventRecord], done_sessions: Mapping[str, int]
) -> list[AdverseRateRow]:
    """Events of each type per 100 done sessions, per practitioner and for the clinic ("" practitioner)."""
    by_practitioner: Counter[tuple[str, str]] = Counter()
    by_code: Counter[str] = Counter()
    for event in events:
        by_practitioner[(event.practitioner, event.code)] += 1
        by_code[event.code] += 1
    total = sum(done_sessions.values())
    rows = [AdverseRateRow("", code, n, total) for code, n in sorted(by_code.items())]
    rows += [
        AdverseRateRow(name, code, n, done_sessions.get(name, 0))
        for (name, code), n in sorted(by_practitioner.items())
    ]
    return rows
