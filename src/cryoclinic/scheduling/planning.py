"""Plain data the course planner and the batch optimizer work on: no Django, no database.

The Django side (models, booking, API) converts its rows into these, calls the pure planner
(`planner.plan_course`) or optimizer (`optimizer.optimize_courses`), and books what comes back.
All datetimes are timezone-aware; weekdays are 0 = Monday … 6 = Sunday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

ResourceKind = Literal["practitioner", "room"]


@dataclass(frozen=True)
class TimeWindow:
    """A recurring weekly window, in the clinic's local time."""

    weekday: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Interval:
    """A concrete span of time (aware datetimes), e.g. an absence or a booked appointment."""

    start: dt.datetime
    end: dt.datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class PractitionerSpec:
    id: int
    procedures: frozenset[str]
    hours: tuple[TimeWindow, ...]
    absences: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class RoomSpec:
    id: int
    procedures: frozenset[str] | None = None  # None: any procedure


@dataclass(frozen=True)
class ClinicSpec:
    time_zone: ZoneInfo
    opening_hours: tuple[TimeWindow, ...]
    closed_days: frozenset[dt.date]
    practitioners: tuple[PractitionerSpec, ...]
    rooms: tuple[RoomSpec, ...]
    slot_step_min: int = 15


@dataclass(frozen=True)
class CourseRules:
    """The course rules a course is planned under (from the knowledge base, snapshotted on the course)."""

    sessions: int
    min_gap_days: int
    max_gap_days: int
    session_duration_min: int


@dataclass(frozen=True)
class CourseRequest:
    client_id: int
    procedure: str
    earliest_start: dt.date
    availability: tuple[TimeWindow, ...]
    rules: CourseRules
    preferred_practitioner_id: int | None = None
    preferred_time: dt.time | None = None  # the time of day the client prefers, if any
    first_index: int = 1  # re-planning the rest of a course: the number of the first session to plan
    previous_session: dt.date | None = None  # the day of the session before it; the gap rule counts from it


@dataclass(frozen=True)
class Busy:
    """Time a practitioner or a room is already taken."""

    kind: ResourceKind
    resource_id: int
    interval: Interval


@dataclass(frozen=True)
class PlannedSession:
    index: int  # 1-based number of the session in the course
    start: dt.datetime
    end: dt.datetime
    practitioner_id: int
    room_id: int


@dataclass(frozen=True)
class PlanFailure:
    """Why no full course fits: which session could not be placed and which constraint failed."""

    session_index: int
    constraint: str  # e.g. "opening_hours", "practitioner_hours", "practitioner_busy", "room_busy", "interval"
    message: str


@dataclass
class PlanResult:
    sessions: list[PlannedSession] = field(default_factory=list)
    failure: PlanFailure | None = None
    nearest_start: dt.date | None = None  # when the request fails: the nearest start that fits

    @property
    def ok(self) -> bool:
        return self.failure is None
