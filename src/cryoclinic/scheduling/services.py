"""Booking: rows → planner data, the dry run, booking a whole course at once, and changes that re-plan.

Every booking goes through here. A course is booked only if screening allows it
(`screening.services.may_book`, which holds the repeat interval) and the client has no other open course of
the procedure (one at a time: refused here, and by the database's partial unique index when two bookings race),
and all of its sessions are written in one transaction: the course is wholly booked or not at all. Overlaps are
refused here with a message naming the clash, and by the database itself (PostgreSQL exclusion constraints) when
two bookings race. A course requested online (screening said caution) holds its times until the clinic confirms
or declines it (`confirm_request`, `decline_request`).

Cancelling a whole course (`cancel_course`) is one transaction too: the course and every session
not yet begun are cancelled together, nothing is re-planned, and sessions done, missed or under way
keep their status. Both it and re-planning lock the course row first: a second cancellation waits
and then finds the course cancelled (a conflict), and a re-planning runs wholly before the
cancellation (whose sessions it then cancels) or after it (finding nothing to re-plan).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic import caching
from cryoclinic.clients.models import Client
from cryoclinic.directory.services import clinic_price_rub
from cryoclinic.knowledge import services as knowledge
from cryoclinic.screening.services import BookingCheck, may_book
from cryoclinic.treatments.history import adverse_event_codes

from . import signals
from .models import Appointment, Clinic, ClosedDay, Course, Practitioner, Room
from .planner import inside_windows, plan_course
from .planning import (
    Busy,
    ClinicSpec,
    CourseRequest,
    CourseRules,
    Interval,
    PlannedSession,
    PlanResult,
    PractitionerSpec,
    RoomSpec,
    TimeWindow,
)

LIVE = ~Q(status=Appointment.Status.CANCELLED)
# Fault-test hook (tests/ops/test_fault_booking.py): never set in production. With it set to N, booking
# stops once session N is written (in the one insert of every session), still inside the transaction, logs that,
# and waits for the test's SIGKILL.
FAULT_PAUSE_AFTER_SESSION = "CRYOCLINIC_FAULT_PAUSE_AFTER_SESSION"
logger = logging.getLogger(__name__)


class SchedulingError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class BookingConflict(Exception):
    """A practitioner or room is already taken; the message names the clash."""


class CourseClosed(Exception):
    """The course is already cancelled or completed: there is nothing left to cancel."""


class NotAllowed(Exception):
    def __init__(self, check: BookingCheck) -> None:
        super().__init__(check.message)
        self.check = check


ONE_COURSE_RULE = "one_course_at_a_time"
ONE_COURSE_SOURCE = "seed#course-duration"  # ten sessions 2–3 days apart, a repeat course no sooner than 6 months


class CourseAlreadyOpen(Exception):
    """The client already has an open course of the procedure (requested, active or flagged): one at a time."""

    field = "procedure"

    def __init__(self, client: Client, procedure: str, course: Course | None) -> None:
        which = _("course #%(id)s") % {"id": course.pk} if course is not None else _("a course")
        super().__init__(
            _(
                "Refused by the rule %(rule)s: %(client)s already has %(which)s of %(procedure)s open; one course "
                "of a procedure at a time: ten sessions 2–3 days apart, a repeat course no sooner than six months "
                "after (source: %(source)s). Finish, cancel or decline it first."
            )
            % {"rule": ONE_COURSE_RULE, "client": client, "which": which, "procedure": procedure,
               "source": ONE_COURSE_SOURCE}
        )
        self.course = course


def open_course(client: Client, procedure: str) -> Course | None:
    """The client's open course of the procedure, if any (at most one: the database keeps it so)."""
    close_finished_courses(client, procedure)
    return Course.objects.filter(client=client, procedure=procedure, status__in=Course.OPEN_STATUSES).first()


def close_finished_courses(client: Client, procedure: str) -> None:
    """An active course with no session left to come is over: completed, so it holds no place any more."""
    ahead = Appointment.objects.filter(
        course=OuterRef("pk"), status__in=[Appointment.Status.BOOKED, Appointment.Status.REQUESTED]
    )
    Course.objects.filter(client=client, procedure=procedure, status=Course.Status.ACTIVE).exclude(
        Exists(ahead)
    ).update(status=Course.Status.COMPLETED)


def check_one_course(client: Client, procedure: str) -> None:
    existing = open_course(client, procedure)
    if existing is not None:
        raise CourseAlreadyOpen(client, procedure, existing)


def course_rules(procedure_slug: str) -> CourseRules:
    procedure = knowledge.get_procedure(procedure_slug)
    course = procedure.course
    if not (course.sessions_per_course and course.days_between_sessions and course.session_duration_min):
        raise SchedulingError("procedure", f"The knowledge base gives no course rules for {procedure_slug}.")
    return CourseRules(
        sessions=course.sessions_per_course.value,
        min_gap_days=course.days_between_sessions.min,
        max_gap_days=course.days_between_sessions.max,
        session_duration_min=course.session_duration_min.max,
    )


def clinic_spec(clinic: Clinic) -> ClinicSpec:
    """What the planner knows of the clinic; cached until its staff, hours, rooms or closed days change
    (`invalidation`)."""
    return caching.cached(caching.SCHEDULING, f"clinic-spec:{clinic.pk}", lambda: _read_clinic_spec(clinic))


def _read_clinic_spec(clinic: Clinic) -> ClinicSpec:
    practitioners = []
    for p in Practitioner.objects.filter(clinic=clinic).prefetch_related("working_hours", "absences"):
        practitioners.append(
            PractitionerSpec(
                id=p.pk,
                procedures=frozenset(p.procedures),
                hours=tuple(TimeWindow(h.weekday, h.starts, h.ends) for h in p.working_hours.all()),
                absences=tuple(Interval(a.starts_at, a.ends_at) for a in p.absences.all()),
            )
        )
    return ClinicSpec(
        time_zone=ZoneInfo(clinic.time_zone),
        opening_hours=tuple(TimeWindow(h.weekday, h.opens, h.closes) for h in clinic.opening_hours.all()),
        closed_days=frozenset(ClosedDay.objects.filter(clinic=clinic).values_list("date", flat=True)),
        practitioners=tuple(practitioners),
        rooms=tuple(
            RoomSpec(r.pk, frozenset(r.procedures) if r.procedures else None)
            for r in Room.objects.filter(clinic=clinic)
        ),
    )


PLAN_HORIZON_DAYS = 60  # the planner's search for a later start (planner.plan_course's horizon_days)


def busy(
    clinic: Clinic,
    *,
    exclude_course: Course | None = None,
    start: dt.date | None = None,
    rules: CourseRules | None = None,
) -> list[Busy]:
    """The live bookings a plan must avoid; with `start` and `rules`, only those in the days a course starting
    then (or up to the planner's horizon later) can reach, so booking cost does not grow with the whole diary."""
    rows = Appointment.objects.filter(LIVE, clinic=clinic, ends_at__gte=timezone.now() - dt.timedelta(days=1))
    if start is not None and rules is not None:
        reach = rules.sessions * rules.max_gap_days + PLAN_HORIZON_DAYS + 2
        rows = rows.filter(
            ends_at__gte=dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
            starts_at__lt=dt.datetime.combine(start + dt.timedelta(days=reach), dt.time(), tzinfo=dt.UTC),
        )
    if exclude_course is not None:
        rows = rows.exclude(course=exclude_course, status=Appointment.Status.BOOKED)
    found = []
    for a in rows.only("practitioner_id", "room_id", "starts_at", "ends_at"):
        found.append(Busy("practitioner", a.practitioner_id, Interval(a.starts_at, a.ends_at)))
        found.append(Busy("room", a.room_id, Interval(a.starts_at, a.ends_at)))
    return found


@dataclass(frozen=True)
class PlanInput:
    client: Client
    procedure: str
    start: dt.date
    availability: tuple[TimeWindow, ...]
    preferred_practitioner_id: int | None = None
    preferred_time: dt.time | None = None
    technique: str = ""  # a technique code of the procedure, where chosen: the nitrogen forecast uses its rate
    sessions: int | None = None  # fewer sessions than the course rules give (one session booked online); None: all


def rules_for(request: PlanInput) -> CourseRules:
    """The procedure's course rules, cut to the sessions asked for (never more than the course has)."""
    rules = course_rules(request.procedure)
    if request.sessions is None:
        return rules
    if not 1 <= request.sessions <= rules.sessions:
        raise SchedulingError("sessions", f"Book 1 to {rules.sessions} sessions of {request.procedure}.")
    return replace(rules, sessions=request.sessions)


def check_technique(procedure_slug: str, technique: str) -> None:
    if not technique:
        return
    try:
        codes = [t.code for t in knowledge.get_procedure(procedure_slug).techniques]
    except knowledge.UnknownProcedure as exc:
        raise SchedulingError("procedure", f"Unknown procedure {procedure_slug!r}.") from exc
    if technique not in codes:
        raise SchedulingError(
            "technique", f"Unknown technique {technique!r} for {procedure_slug}; use one of {', '.join(codes)}."
        )


def plan(clinic: Clinic, request: PlanInput) -> PlanResult:
    """The dry run: what the planner proposes against today's bookings. Nothing is written."""
    check_technique(request.procedure, request.technique)
    rules = rules_for(request)
    return plan_course(
        clinic_spec(clinic),
        CourseRequest(
            client_id=request.client.pk,
            procedure=request.procedure,
            earliest_start=request.start,
            availability=request.availability,
            rules=rules,
            preferred_practitioner_id=request.preferred_practitioner_id,
            preferred_time=request.preferred_time,
        ),
        busy(clinic, start=request.start, rules=rules),
        horizon_days=PLAN_HORIZON_DAYS,
    )


def last_course_end(client: Client, procedure: str) -> dt.date | None:
    last = (
        Appointment.objects.filter(
            client=client, procedure=procedure, status=Appointment.Status.DONE, course__isnull=False
        )
        .order_by("-starts_at")
        .first()
    )
    return last.starts_at.date() if last else None


def _conflict_message(
    clinic: Clinic,
    practitioner_id: int,
    room_id: int,
    start: dt.datetime,
    end: dt.datetime,
    exclude: Sequence[int] = (),
) -> str | None:
    clash = (
        Appointment.objects.filter(LIVE, starts_at__lt=end, ends_at__gt=start)
        .filter(Q(practitioner_id=practitioner_id) | Q(room_id=room_id))
        .exclude(pk__in=exclude)
        .select_related("practitioner", "room")
        .first()
    )
    if clash is None:
        return None
    tz = ZoneInfo(clinic.time_zone)
    what = f"{clash.practitioner}" if clash.practitioner_id == practitioner_id else f"{clash.room}"
    return (
        f"{what} is already booked {clash.starts_at.astimezone(tz):%Y-%m-%d %H:%M}–"
        f"{clash.ends_at.astimezone(tz):%H:%M} (appointment #{clash.pk})."
    )


def booking_check(request: PlanInput) -> BookingCheck:
    """Screening with the client's history (the repeat interval included), as every booking path asks it."""
    return may_book(
        request.client,
        request.procedure,
        request.start,
        last_course_end=last_course_end(request.client, request.procedure),
        adverse_event_codes=adverse_event_codes(request.client, request.procedure),
    )


def book_course(
    clinic: Clinic,
    request: PlanInput,
    *,
    by: User | None,
    sessions: Sequence[PlannedSession] | None = None,
    requested: bool = False,
) -> Course:
    """Screen, check the client has no open course of the procedure, plan (or take the confirmed plan) and write
    the course and every session, all or nothing. `requested`: the clinic confirms it before it is booked."""
    check_technique(request.procedure, request.technique)
    check = booking_check(request)
    if not check.allowed:
        raise NotAllowed(check)
    check_one_course(request.client, request.procedure)
    rules = rules_for(request)
    if sessions is None:
        result = plan(clinic, request)
        if not result.ok:
            assert result.failure is not None
            raise SchedulingError("start", result.failure.message)
        sessions = result.sessions
    status = Course.Status.REQUESTED if requested else Course.Status.ACTIVE
    with transaction.atomic():
        course = _create_course(clinic, request, rules, by=by, status=status)
        _write_sessions(
            course, sessions, technique=request.technique, price_rub=clinic_price_rub(request.procedure),
            status=Appointment.Status.REQUESTED if requested else Appointment.Status.BOOKED,
        )
    return course


def _first_clash_message(clinic: Clinic, appointments: Sequence[Appointment]) -> str | None:
    """The clash of the earliest session that has one, found in one read for the whole course."""
    overlaps = Q()
    for a in appointments:
        overlaps |= Q(starts_at__lt=a.ends_at, ends_at__gt=a.starts_at) & (
            Q(practitioner_id=a.practitioner_id) | Q(room_id=a.room_id)
        )
    clashes = list(Appointment.objects.filter(LIVE).filter(overlaps).only("pk", "starts_at", "ends_at",
                                                                           "practitioner_id", "room_id"))
    for a in appointments:
        for clash in clashes:
            same = clash.practitioner_id == a.practitioner_id or clash.room_id == a.room_id
            if same and clash.starts_at < a.ends_at and clash.ends_at > a.starts_at:
                return _conflict_message(clinic, a.practitioner_id, a.room_id, a.starts_at, a.ends_at)
    return None


def _write_all(clinic: Clinic, appointments: Sequence[Appointment]) -> None:
    """Check every appointment for a clash in one read, then insert them all at once (or none)."""
    message = _first_clash_message(clinic, appointments)
    if message:
        raise BookingConflict(message)
    try:
        with transaction.atomic():
            Appointment.objects.bulk_create(appointments)
    except IntegrityError as exc:
        if "no_overlap" in str(exc):
            raise BookingConflict("The slot was taken by another booking a moment ago; plan again.") from exc
        raise


def _create_course(clinic: Clinic, request: PlanInput, rules: CourseRules, *, by: User | None, status: str) -> Course:
    try:
        with transaction.atomic():
            return Course.objects.create(
                clinic=clinic,
                client=request.client,
                procedure=request.procedure,
                rules=asdict(rules),
                availability=[
                    [w.weekday, w.start.isoformat("minutes"), w.end.isoformat("minutes")]
                    for w in request.availability
                ],
                knowledge_version=knowledge.get_procedure(request.procedure).version,
                created_by=by,
                status=status,
            )
    except IntegrityError as exc:  # another booking of the same client and procedure won the race
        if "course_one_open_per_client" in str(exc) or "scheduling_course.client_id" in str(exc):
            raise CourseAlreadyOpen(request.client, request.procedure, None) from exc
        raise


def _write_sessions(
    course: Course,
    sessions: Sequence[PlannedSession],
    *,
    technique: str,
    price_rub: int | None,
    status: str = Appointment.Status.BOOKED,
) -> None:
    """Each session keeps the technique and the clinic's price as booked: revenue counts what was agreed.

    All sessions are checked in one read and written in one insert, inside the caller's transaction; the database
    (PostgreSQL's exclusion constraints; SQLite's write lock) refuses the insert whole if a racing booking took a
    slot meanwhile."""
    appointments = [
        Appointment(
            clinic=course.clinic,
            client=course.client,
            procedure=course.procedure,
            course=course,
            session_number=session.index,
            practitioner_id=session.practitioner_id,
            room_id=session.room_id,
            starts_at=session.start,
            ends_at=session.end,
            technique=technique,
            price_rub=price_rub,
            status=status,
        )
        for session in sessions
    ]
    _write_all(course.clinic, appointments)
    for session in sessions:
        _fault_pause(course, session.index)


def _fault_pause(course: Course, index: int) -> None:
    if os.environ.get(FAULT_PAUSE_AFTER_SESSION, "") == str(index):
        logger.warning("fault hook: paused after session %s of course #%s, uncommitted", index, course.pk)
        time.sleep(120)


def _rules_of(course: Course) -> CourseRules:
    return CourseRules(**course.rules)


@transaction.atomic
def replan_rest(course: Course, *, after: Appointment) -> PlanResult:
    """Re-plan every booked session after `after` under the course's own rules; flag the course if impossible."""
    # The course row is locked whatever its status, so a cancellation racing this waits, or is waited for.
    if Course.objects.select_for_update().values_list("status", flat=True).get(pk=course.pk) == Course.Status.CANCELLED:
        return PlanResult()  # a cancelled course has no rest to re-plan
    rest = list(course.appointments.filter(status=Appointment.Status.BOOKED, session_number__gt=after.session_number))
    if not rest:
        return PlanResult()
    clinic = course.clinic
    kept = (
        after
        if after.status != Appointment.Status.CANCELLED
        else course.appointments.filter(LIVE, session_number__lt=after.session_number)
        .order_by("-session_number")
        .first()
    )
    first = rest[0]
    tz = ZoneInfo(clinic.time_zone)
    previous = kept.starts_at.astimezone(tz).date() if kept is not None else None
    windows = tuple(
        TimeWindow(d, dt.time.fromisoformat(s), dt.time.fromisoformat(e)) for d, s, e in course.availability
    )
    request = CourseRequest(
        client_id=course.client_id,
        procedure=course.procedure,
        earliest_start=max(timezone.localdate(), (previous or first.starts_at.date())),
        availability=windows,
        rules=_rules_of(course),
        preferred_practitioner_id=first.practitioner_id,
        preferred_time=first.starts_at.astimezone(tz).time(),
        first_index=first.session_number or 1,
        previous_session=previous,
    )
    for appointment in rest:
        appointment.status = Appointment.Status.CANCELLED
        appointment.save(update_fields=["status"])
    result = plan_course(clinic_spec(clinic), request, busy(clinic))
    if not result.ok:
        for appointment in rest:  # keep the old sessions: staff decide what happens to the course
            appointment.status = Appointment.Status.BOOKED
            appointment.save(update_fields=["status"])
        assert result.failure is not None
        course.status, course.flag_reason = Course.Status.FLAGGED, result.failure.message[:300]
        course.save(update_fields=["status", "flag_reason"])
        return result
    for appointment in rest:
        appointment.delete()
    _write_sessions(course, result.sessions, technique=first.technique, price_rub=first.price_rub)
    return result


def move_problems(
    appointment: Appointment, starts_at: dt.datetime, *, practitioner_id: int | None = None,
    room_id: int | None = None,
) -> list[str]:
    """The planner's rules for one session moved to `starts_at` (and perhaps to another practitioner or room):
    the clinic open, the practitioner working, present and trained, the room fit, and a course session kept at
    the knowledge base's interval from the session before it. Overlaps are the database's (and `_write`'s)."""
    clinic = appointment.clinic
    spec = clinic_spec(clinic)
    tz = spec.time_zone
    local_start = starts_at.astimezone(tz)
    local_end = (starts_at + (appointment.ends_at - appointment.starts_at)).astimezone(tz)
    practitioners = {p.id: p for p in spec.practitioners}
    rooms = {r.id: r for r in spec.rooms}
    practitioner = practitioners.get(practitioner_id or appointment.practitioner_id)
    room = rooms.get(room_id or appointment.room_id)
    problems = []
    if local_start.date() in spec.closed_days:
        problems.append(_("The clinic is closed on %(day)s.") % {"day": local_start.date().isoformat()})
    if local_start.date() != local_end.date() or not inside_windows(spec.opening_hours, local_start, local_end):
        problems.append(_("%(time)s is outside the clinic's opening hours.") % {"time": f"{local_start:%H:%M}"})
    if practitioner is None or appointment.procedure not in practitioner.procedures:
        problems.append(_("This practitioner does not perform the procedure."))
    elif not inside_windows(practitioner.hours, local_start, local_end):
        problems.append(_("%(time)s is outside the practitioner's working hours.") % {"time": f"{local_start:%H:%M}"})
    elif any(Interval(starts_at, local_end).overlaps(a) for a in practitioner.absences):
        problems.append(_("The practitioner is absent then."))
    if room is None or (room.procedures is not None and appointment.procedure not in room.procedures):
        problems.append(_("This room does not allow the procedure."))
    problems += _interval_problems(appointment, local_start.date(), tz)
    return problems


def _interval_problems(appointment: Appointment, day: dt.date, tz: ZoneInfo) -> list[str]:
    """A course session keeps the knowledge base's days from the session before it (the later ones are
    re-planned after the move)."""
    if appointment.course is None or not appointment.session_number or appointment.session_number == 1:
        return []
    before = (
        appointment.course.appointments.filter(LIVE, session_number__lt=appointment.session_number)
        .order_by("-session_number").first()
    )
    if before is None:
        return []
    rules = _rules_of(appointment.course)
    gap = (day - before.starts_at.astimezone(tz).date()).days
    if rules.min_gap_days <= gap <= rules.max_gap_days:
        return []
    return [
        _("A course session comes %(min)s–%(max)s days after the one before it (%(day)s); this is %(gap)s days "
          "(source: the knowledge base's course rules).")
        % {"min": rules.min_gap_days, "max": rules.max_gap_days, "day": before.starts_at.astimezone(tz).date(),
           "gap": gap}
    ]


@transaction.atomic
def change_appointment(
    appointment: Appointment, *, status: str | None = None, starts_at: dt.datetime | None = None,
    by: User | None = None, practitioner_id: int | None = None, room_id: int | None = None,
) -> Appointment:
    """Move (in time, or to another practitioner or room), cancel, or mark done / no-show. A move keeps the
    planner's rules (`move_problems`) and the database's no-overlap constraints; a moved, cancelled or missed
    course session re-plans the rest."""
    if status is not None and status not in Appointment.Status.values:
        raise SchedulingError(
            "status", f"Unknown status {status!r}; use one of {', '.join(Appointment.Status.values)}."
        )
    moving = starts_at is not None or practitioner_id is not None or room_id is not None
    if moving:
        if appointment.status != Appointment.Status.BOOKED:
            raise SchedulingError("starts_at", "Only a booked appointment can be moved.")
        starts_at = starts_at or appointment.starts_at
        problems = move_problems(appointment, starts_at, practitioner_id=practitioner_id, room_id=room_id)
        if problems:
            raise SchedulingError("starts_at", " ".join(problems))
        duration = appointment.ends_at - appointment.starts_at
        appointment.starts_at, appointment.ends_at = starts_at, starts_at + duration
        appointment.practitioner_id = practitioner_id or appointment.practitioner_id
        appointment.room_id = room_id or appointment.room_id
        message = _conflict_message(
            appointment.clinic,
            appointment.practitioner_id,
            appointment.room_id,
            appointment.starts_at,
            appointment.ends_at,
            exclude=[appointment.pk],
        )
        if message:
            raise BookingConflict(message)
        try:
            with transaction.atomic():
                appointment.save(update_fields=["starts_at", "ends_at", "practitioner", "room"])
        except IntegrityError as exc:
            raise BookingConflict("The slot was taken by another booking a moment ago.") from exc
    if status is not None:
        appointment.status = status
        appointment.save(update_fields=["status"])
        if status == Appointment.Status.CANCELLED:
            signals.appointment_cancelled.send(
                Appointment, appointment=appointment, by=by, within_notice=within_notice(appointment)
            )
    if appointment.course is not None and (moving or status in ("cancelled", "no_show")):
        replan_rest(appointment.course, after=appointment)
    if appointment.course is not None and status in ("done", "no_show"):
        close_finished_courses(appointment.client, appointment.procedure)
    return appointment


@transaction.atomic
def confirm_request(course: Course, *, by: User | None) -> Course:
    """The clinic confirms a course the client requested online (screening said caution): its sessions are booked."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status != Course.Status.REQUESTED:
        raise CourseClosed(f"Course #{locked.pk} is {locked.status}, not requested; nothing was changed.")
    locked.appointments.filter(status=Appointment.Status.REQUESTED).update(status=Appointment.Status.BOOKED)
    locked.status, locked.decided_by, locked.decided_at = Course.Status.ACTIVE, by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def decline_request(course: Course, *, reason: str, by: User | None) -> Course:
    """The clinic declines a requested course: it and its sessions are cancelled, the times freed, the reason kept."""
    reason = reason.strip()
    if not reason:
        raise SchedulingError("reason", "Say why the request is declined: the client is told.")
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status != Course.Status.REQUESTED:
        raise CourseClosed(f"Course #{locked.pk} is {locked.status}, not requested; nothing was changed.")
    locked.appointments.filter(status=Appointment.Status.REQUESTED).update(status=Appointment.Status.CANCELLED)
    locked.status, locked.cancel_reason = Course.Status.CANCELLED, reason[:300]
    locked.cancelled_by, locked.cancelled_at = by, timezone.now()
    locked.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    return locked


@transaction.atomic
def decide(course: Course, decision: str, *, by: User) -> Course:
    """Staff decide about a flagged course: continue as booked, or restart (cancel what is left)."""
    if decision not in Course.Decision.values:
        raise SchedulingError("decision", f"Use one of {', '.join(Course.Decision.values)}.")
    if course.status != Course.Status.FLAGGED:
        raise SchedulingError("decision", "Only a flagged course needs a decision.")
    course.decision, course.decided_by, course.decided_at = decision, by, timezone.now()
    cancelled: list[Appointment] = []
    if decision == Course.Decision.RESTART:
        cancelled = list(course.appointments.filter(status=Appointment.Status.BOOKED))
        Appointment.objects.filter(pk__in=[a.pk for a in cancelled]).update(status=Appointment.Status.CANCELLED)
        course.status = Course.Status.CANCELLED
    else:
        course.status = Course.Status.ACTIVE
    course.save(update_fields=["decision", "decided_by", "decided_at", "status"])
    if cancelled:  # the clinic restarts the course: never the client's late cancellation
        signals.course_cancelled.send(Course, course=course, appointments=cancelled, by=by, within_notice=True)
    return course


@transaction.atomic
def cancel_course(course: Course, *, reason: str, by: User | None) -> tuple[Course, list[int]]:
    """Cancel `course` and every session of it that has not begun, at once, without re-planning.

    Returns the course as saved and the ids of the sessions cancelled. Sessions done, missed, or begun and not yet
    recorded keep their status (staff record the one under way as done or no-show)."""
    reason = reason.strip()
    if not reason:
        raise SchedulingError("reason", "Say why the course is cancelled.")
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status in (Course.Status.CANCELLED, Course.Status.COMPLETED):
        when = f" on {locked.cancelled_at:%Y-%m-%d %H:%M} UTC" if locked.cancelled_at else ""
        raise CourseClosed(f"Course #{locked.pk} is already {locked.status}{when}; nothing was changed.")
    now = timezone.now()
    rest = locked.appointments.filter(status=Appointment.Status.BOOKED, starts_at__gt=now)
    cancelled = sorted(rest.values_list("pk", flat=True))
    Appointment.objects.filter(pk__in=cancelled).update(status=Appointment.Status.CANCELLED)
    locked.status, locked.cancel_reason = Course.Status.CANCELLED, reason[:300]
    locked.cancelled_by, locked.cancelled_at = by, now
    locked.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    sessions = list(Appointment.objects.filter(pk__in=cancelled).order_by("starts_at"))
    signals.course_cancelled.send(
        Course, course=locked, appointments=sessions, by=by,
        within_notice=all(within_notice(a, now=now) for a in sessions),
    )
    return locked, cancelled


def within_notice(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    """Whether it is at least the clinic's notice (its `cancel_notice_hours`) before the appointment starts."""
    now = now or timezone.now()
    return appointment.starts_at - now >= dt.timedelta(hours=appointment.clinic.cancel_notice_hours)
