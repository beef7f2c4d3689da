"""What the reception calendar's time grid shows for a span of days: one column per practitioner or room, the
appointments (coloured by status, course sessions linked, flagged courses marked) and the closed time shaded
(closed days, outside opening hours; for a practitioner also outside their hours and their absences)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import Text
from cryoclinic.knowledge.templatetags.knowledge_tags import tr

from .models import Appointment, Course
from .planner import windows_on
from .planning import ClinicSpec, TimeWindow
from .services import clinic_spec

MAX_DAYS = 14
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)  # a calendar's sane span (and datetime's, with zones)


@dataclass(frozen=True)
class Column:
    id: int
    title: str


@dataclass(frozen=True)
class Entry:
    id: int
    column: int
    start: dt.datetime
    end: dt.datetime
    title: str
    status: str
    course: int | None
    session_number: int | None
    sessions_in_course: int | None
    flagged: bool


@dataclass(frozen=True)
class Shade:
    column: int | None  # None: every column
    start: dt.datetime
    end: dt.datetime
    reason: str


@dataclass(frozen=True)
class Grid:
    columns: list[Column]
    entries: list[Entry]
    shades: list[Shade]
    opens: dt.time
    closes: dt.time


def grid(clinic: Clinic, first: dt.date, days: int, *, by: str) -> Grid:
    spec = clinic_spec(clinic)
    tz = spec.time_zone
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = start + dt.timedelta(days=days)
    if by == "room":
        columns = [Column(r.pk, r.name) for r in clinic.rooms.order_by("name")]
    else:
        columns = [Column(p.pk, str(p)) for p in clinic.practitioners.order_by("pk")]
    rows = (
        Appointment.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("client", "course")
        .order_by("starts_at")
    )
    names = {p.slug: p.name for p in knowledge.list_procedures()}
    sizes = _course_sizes({a.course_id for a in rows if a.course_id})
    entries = [
        Entry(
            id=a.pk,
            column=a.room_id if by == "room" else a.practitioner_id,
            start=a.starts_at.astimezone(tz),
            end=a.ends_at.astimezone(tz),
            title=_title(a, names, sizes),
            status=a.status,
            course=a.course_id,
            session_number=a.session_number,
            sessions_in_course=sizes.get(a.course_id) if a.course_id else None,
            flagged=bool(a.course and a.course.status == Course.Status.FLAGGED),
        )
        for a in rows
    ]
    shades = _closed(spec, first, days) + (_off_duty(spec, first, days) if by != "room" else [])
    opens, closes = _day_bounds(spec.opening_hours)
    return Grid(columns, entries, shades, opens, closes)


def _course_sizes(course_ids: set[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for course_id in Appointment.objects.filter(course_id__in=course_ids).exclude(
        status=Appointment.Status.CANCELLED
    ).values_list("course_id", flat=True):
        counts[course_id] = counts.get(course_id, 0) + 1
    return counts


def _title(a: Appointment, names: Mapping[str, Text], sizes: dict[int, int]) -> str:
    procedure = tr(names[a.procedure]) if a.procedure in names else a.procedure
    if a.course_id and a.session_number:
        return _("%(client)s · %(procedure)s, session %(n)s of %(of)s") % {
            "client": a.client.full_name, "procedure": procedure, "n": a.session_number, "of": sizes.get(a.course_id),
        }
    return f"{a.client.full_name} · {procedure}"


def _day_bounds(windows: tuple[TimeWindow, ...]) -> tuple[dt.time, dt.time]:
    if not windows:
        return dt.time(8), dt.time(21)
    return min(w.start for w in windows), max(w.end for w in windows)


def _days(first: dt.date, days: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(days)]


def _gaps(windows: list[tuple[dt.time, dt.time]], day: dt.date, tz: ZoneInfo) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of `day` outside `windows`."""
    moments = [dt.datetime.combine(day, dt.time(0), tzinfo=tz)]
    for start, end in sorted(windows):
        moments += [dt.datetime.combine(day, start, tzinfo=tz), dt.datetime.combine(day, end, tzinfo=tz)]
    moments.append(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz))
    return [(a, b) for a, b in zip(moments[::2], moments[1::2], strict=True) if a < b]


def _closed(spec: ClinicSpec, first: dt.date, days: int) -> list[Shade]:
    tz = spec.time_zone
    shades = []
    for day in _days(first, days):
        open_hours = [] if day in spec.closed_days else windows_on(spec.opening_hours, day.weekday())
        shades += [Shade(None, a, b, _("closed")) for a, b in _gaps(open_hours, day, tz)]
    return shades


def _off_duty(spec: ClinicSpec, first: dt.date, days: int) -> list[Shade]:
    tz = spec.time_zone
    start = dt.datetime.combine(first, dt.time(0), tzinfo=tz)
    end = start + dt.timedelta(days=days)
    shades = []
    for practitioner in spec.practitioners:
        for day in _days(first, days):
            hours = windows_on(practitioner.hours, day.weekday())
            shades += [Shade(practitioner.id, a, b, _("not working")) for a, b in _gaps(hours, day, tz)]
        shades += [
            Shade(practitioner.id, max(a.start, start).astimezone(tz), min(a.end, end).astimezone(tz), _("absent"))
            for a in practitioner.absences
            if a.start < end and a.end > start
        ]
    return shades
