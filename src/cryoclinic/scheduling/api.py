"""`/api/courses` and `/api/appointments`: plan (dry run), book, list, cancel and change. Session or token; roles
checked; every row is the token's (or the signed-in person's) clinic's, another clinic's is a 404."""

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION, STAFF_ROLES, has_role
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import ApiError, errors, invalid, refuse_unless, require_role
from cryoclinic.api.pagination import Mapped, Pagination
from cryoclinic.api.types import Id, LocalTime
from cryoclinic.clients.models import Client, client_of
from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.state import current_clinic

from . import grid, self_service, services
from .models import Appointment, Course, Practitioner, Room
from .planning import PlannedSession, TimeWindow

router = Router(tags=["scheduling"])
BOOKERS = (ADMIN, RECEPTION)


class WindowIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: LocalTime
    end: LocalTime


class PlanIn(Schema):
    client: Id
    procedure: str = "facial-cryomassage"
    start: dt.date
    availability: list[WindowIn] = Field(min_length=1)
    preferred_practitioner: Id | None = None
    preferred_time: LocalTime | None = None
    technique: str = Field("", description="a technique code of the procedure (e.g. cotton_swab); empty: not chosen")


class SessionOut(Schema):
    index: int
    start: dt.datetime
    end: dt.datetime
    practitioner: int
    room: int


class FailureOut(Schema):
    session_index: int
    constraint: str
    message: str


class PlanOut(Schema):
    ok: bool
    sessions: list[SessionOut]
    failure: FailureOut | None
    nearest_start: dt.date | None


class CourseSessionOut(SessionOut):
    appointment: int
    status: str


class CourseOut(Schema):
    id: int
    client: int
    procedure: str
    status: str
    flag_reason: str
    created_at: dt.datetime
    cancel_reason: str
    cancelled_at: dt.datetime | None
    sessions: list[CourseSessionOut]


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=300, description="why the course is cancelled (kept with it)")


class CancelOut(CourseOut):
    cancelled_sessions: list[int] = Field(description="the appointments this call cancelled")


class AppointmentOut(Schema):
    id: int
    client: int
    procedure: str
    practitioner: int
    room: int
    course: int | None
    session_number: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str


class AppointmentPatch(Schema):
    status: Literal["booked", "done", "no_show", "cancelled"] | None = None
    starts_at: dt.datetime | None = None
    practitioner: Id | None = Field(None, description="move to this practitioner (same clinic)")
    room: Id | None = Field(None, description="move to this room (same clinic)")


def _booking_input(request: HttpRequest, payload: PlanIn) -> services.PlanInput | HttpResponse:
    """Reception and admins only; then the payload as the booking service takes it, or the 422."""
    return refuse_unless(request, *BOOKERS) or _input(request, payload)


def _input(request: HttpRequest, payload: PlanIn) -> services.PlanInput | HttpResponse:
    client = Client.objects.filter(pk=payload.client).first()
    if client is None:
        return invalid(request, "client", f"No client #{payload.client}.", status=404)
    for index, window in enumerate(payload.availability):
        if window.start >= window.end:
            return invalid(request, f"availability.{index}", "A window must start before it ends.")
    return services.PlanInput(
        client=client,
        procedure=payload.procedure,
        start=payload.start,
        availability=tuple(TimeWindow(w.weekday, w.start, w.end) for w in payload.availability),
        preferred_practitioner_id=payload.preferred_practitioner,
        preferred_time=payload.preferred_time,
        technique=payload.technique,
    )


def _sessions(sessions: list[PlannedSession]) -> list[SessionOut]:
    return [
        SessionOut(index=s.index, start=s.start, end=s.end, practitioner=s.practitioner_id, room=s.room_id)
        for s in sessions
    ]


def _clinic() -> Clinic:
    clinic = current_clinic()
    if clinic is None:
        raise ApiError(404, "", "You act for no clinic.")
    return clinic


@router.post(
    "/courses/plan",
    response={200: PlanOut} | errors(401, 403, 404, 422),
    summary="Propose every session of a course (nothing is booked)",
    auth=SESSION_OR_TOKEN,
)
def plan_course(request: HttpRequest, payload: PlanIn) -> PlanOut | HttpResponse:
    data = _booking_input(request, payload)
    if isinstance(data, HttpResponse):
        return data
    try:
        result = services.plan(_clinic(), data)
    except services.SchedulingError as exc:
        return invalid(request, exc.field, str(exc))
    failure = result.failure
    return PlanOut(
        ok=result.ok,
        sessions=_sessions(result.sessions),
        nearest_start=result.nearest_start,
        failure=FailureOut(session_index=failure.session_index, constraint=failure.constraint, message=failure.message)
        if failure
        else None,
    )


@router.post(
    "/courses",
    response={201: CourseOut} | errors(401, 403, 404, 409, 422),
    summary="Book a whole course (all sessions or none)",
    auth=SESSION_OR_TOKEN,
)
def book_course(request: HttpRequest, payload: PlanIn) -> Status | HttpResponse:
    data = _booking_input(request, payload)
    if isinstance(data, HttpResponse):
        return data
    try:
        course = services.book_course(_clinic(), data, by=request.user)  # type: ignore[arg-type]
    except services.NotAllowed as exc:
        return invalid(request, "client", str(exc), status=422)
    except services.SchedulingError as exc:
        return invalid(request, exc.field, str(exc))
    except services.CourseAlreadyOpen as exc:
        return invalid(request, exc.field, str(exc), status=409)
    except services.BookingConflict as exc:
        return invalid(request, "start", str(exc), status=409)
    audit.record(request.user, "create", course, request=request, detail="course booked")
    return Status(201, _course_out(course))


def _course_out(course: Course) -> CourseOut:
    return CourseOut(
        id=course.pk,
        client=course.client_id,
        procedure=course.procedure,
        status=course.status,
        flag_reason=course.flag_reason,
        created_at=course.created_at,
        cancel_reason=course.cancel_reason,
        cancelled_at=course.cancelled_at,
        sessions=[
            CourseSessionOut(
                appointment=a.pk, index=a.session_number or 0, start=a.starts_at, end=a.ends_at,
                practitioner=a.practitioner_id, room=a.room_id, status=a.status,
            )
            for a in sorted(course.appointments.all(), key=lambda a: (a.session_number or 0, a.starts_at, a.pk))
        ],
    )


@router.get(
    "/courses",
    response={200: list[CourseOut]} | errors(401, 403, 422),
    summary="Courses with their sessions (staff: the clinic's; a client: their own), newest first",
    auth=SESSION_OR_TOKEN,
)
@paginate(Pagination)
def list_courses(
    request: HttpRequest,
    client: Id | None = None,
    procedure: str | None = None,
    status: Literal["requested", "active", "flagged", "completed", "cancelled"] | None = None,
) -> Mapped[Course, CourseOut]:
    require_role(request, *STAFF_ROLES, CLIENT, message="Staff, or a client for their own courses.")
    rows = Course.objects.prefetch_related("appointments")
    if not has_role(request.user, *STAFF_ROLES):
        own = client_of(request.user)
        rows = rows.filter(client=own) if own else rows.none()
    for field, value in (("client_id", client), ("procedure", procedure), ("status", status)):
        if value is not None:
            rows = rows.filter(**{field: value})
    filters = ",".join(f"{k}={v}" for k, v in (("client", client), ("procedure", procedure), ("status", status)) if v)
    audit.record(request.user, "list", ("scheduling.course", ""), request=request, detail=filters[:100])
    return Mapped(rows.order_by("-created_at", "-pk"), _course_out)


@router.post(
    "/courses/{course_id}/cancel",
    response={200: CancelOut} | errors(401, 403, 404, 409, 422),
    summary="Cancel a whole course: every session not yet begun, at once, nothing re-planned (409 if already "
    "cancelled or completed)",
    auth=SESSION_OR_TOKEN,
)
def cancel_course(request: HttpRequest, course_id: Id, payload: CancelIn) -> CancelOut | HttpResponse:
    refused = refuse_unless(request, *BOOKERS)
    if refused is not None:
        return refused
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        return invalid(request, "course_id", f"No course #{course_id}.", status=404)
    try:
        course, cancelled = services.cancel_course(course, reason=payload.reason, by=request.user)  # type: ignore[arg-type]
    except services.SchedulingError as exc:
        return invalid(request, exc.field, str(exc))
    except services.CourseClosed as exc:
        return invalid(request, "course_id", str(exc), status=409)
    audit.record(
        request.user, "cancel", course, request=request,
        detail=f"course cancelled, {len(cancelled)} sessions: {course.cancel_reason}",
    )
    return CancelOut(**_course_out(course).model_dump(), cancelled_sessions=cancelled)


def _visible(request: HttpRequest):  # type: ignore[no-untyped-def]
    rows = Appointment.objects.all()
    if has_role(request.user, *BOOKERS):
        return rows
    if has_role(request.user, PRACTITIONER):
        return rows.filter(practitioner__user_id=int(request.user.pk or 0))
    if has_role(request.user, CLIENT):
        own = client_of(request.user)
        return rows.filter(client=own) if own else rows.none()
    return rows.none()


def _out(a: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=a.pk,
        client=a.client_id,
        procedure=a.procedure,
        practitioner=a.practitioner_id,
        room=a.room_id,
        course=a.course_id,
        session_number=a.session_number,
        starts_at=a.starts_at,
        ends_at=a.ends_at,
        status=a.status,
    )


@router.get(
    "/appointments",
    response={200: list[AppointmentOut]} | errors(401, 422),
    summary="Appointments you may see, filtered, by start time",
    auth=SESSION_OR_TOKEN,
)
@paginate(Pagination)
def list_appointments(
    request: HttpRequest,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    practitioner: Id | None = None,
    room: Id | None = None,
    client: Id | None = None,
    status: Literal["booked", "done", "no_show", "cancelled"] | None = None,
    procedure: str | None = None,
) -> Mapped[Appointment, AppointmentOut]:
    rows = _visible(request)
    if date_from:
        rows = rows.filter(starts_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(starts_at__date__lte=date_to)
    for field, value in (
        ("practitioner_id", practitioner), ("room_id", room), ("client_id", client), ("status", status),
        ("procedure", procedure),
    ):
        if value is not None:
            rows = rows.filter(**{field: value})
    return Mapped(rows.order_by("starts_at", "pk"), _out)


@router.patch(
    "/appointments/{appointment_id}",
    response={200: AppointmentOut} | errors(401, 403, 404, 409, 422),
    summary="Move, cancel, or mark done / no-show",
    auth=SESSION_OR_TOKEN,
)
def patch_appointment(
    request: HttpRequest, appointment_id: Id, payload: AppointmentPatch
) -> AppointmentOut | HttpResponse:
    appointment = _visible(request).filter(pk=appointment_id).first()
    if appointment is None:
        return invalid(request, "appointment_id", f"No appointment #{appointment_id} that you may see.", status=404)
    staff = has_role(request.user, *BOOKERS, PRACTITIONER)
    reassigning = payload.practitioner is not None or payload.room is not None
    if not staff and (reassigning or payload.status not in (None, "cancelled")):
        return refuse_unless(request, *BOOKERS, PRACTITIONER) or invalid(request, "status", "Not allowed.")
    if payload.starts_at is not None and payload.starts_at < timezone.now():
        return invalid(request, "starts_at", "An appointment cannot be moved into the past.")
    for field, model in (("practitioner", Practitioner), ("room", Room)):
        wanted = getattr(payload, field)
        if wanted is not None and not model.objects.filter(pk=wanted).exists():
            return invalid(request, field, f"No {field} #{wanted} in this clinic.", status=404)
    try:
        if staff:
            services.change_appointment(
                appointment, status=payload.status, starts_at=payload.starts_at, by=request.user,  # type: ignore[arg-type]
                practitioner_id=payload.practitioner, room_id=payload.room,
            )
        else:
            _change_own(appointment, payload, request)
    except services.SchedulingError as exc:
        return invalid(request, exc.field, str(exc))
    except self_service.PastNotice as exc:
        return invalid(request, exc.field, str(exc), status=409)
    except services.BookingConflict as exc:
        return invalid(request, "starts_at", str(exc), status=409)
    appointment.refresh_from_db()
    return _out(appointment)


class GridColumnOut(Schema):
    id: int
    title: str


class GridEntryOut(Schema):
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


class GridShadeOut(Schema):
    column: int | None = Field(description="the practitioner or room; null: the whole clinic")
    start: dt.datetime
    end: dt.datetime
    reason: str


class GridOut(Schema):
    by: str
    offset: str = Field(description="the clinic's UTC offset on the first day, e.g. +03:00")
    columns: list[GridColumnOut]
    entries: list[GridEntryOut]
    shades: list[GridShadeOut]
    opens: LocalTime
    closes: LocalTime


@router.get(
    "/calendar",
    response={200: GridOut} | errors(401, 403, 422),
    summary="The reception calendar's time grid: columns (practitioners or rooms), appointments, closed time",
    auth=SESSION_OR_TOKEN,
)
def calendar_grid(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    by: Literal["practitioner", "room"] = "practitioner",
) -> GridOut | HttpResponse:
    refused = refuse_unless(request, *STAFF_ROLES)
    if refused is not None:
        return refused
    if not grid.EARLIEST <= start <= grid.LATEST:
        return invalid(request, "start", f"start must be between {grid.EARLIEST} and {grid.LATEST}.")
    days = (end - start).days
    if not 1 <= days <= grid.MAX_DAYS:
        return invalid(request, "end", f"end must be 1 to {grid.MAX_DAYS} days after start (exclusive).")
    shown = grid.grid(_clinic(), start, days, by=by)
    audit.record(request.user, "view", ("scheduling.calendar", start.isoformat()), request=request, detail=f"{by} grid")
    offset = dt.datetime.combine(start, dt.time(12), tzinfo=ZoneInfo(_clinic().time_zone)).strftime("%z")
    return GridOut(
        by=by,
        offset=f"{offset[:3]}:{offset[3:]}",
        columns=[GridColumnOut(**vars(c)) for c in shown.columns],
        entries=[GridEntryOut(**vars(e)) for e in shown.entries],
        shades=[GridShadeOut(**vars(s)) for s in shown.shades],
        opens=shown.opens,
        closes=shown.closes,
    )


def _change_own(appointment: Appointment, payload: AppointmentPatch, request: HttpRequest) -> None:
    """A client's own session: cancel or move within the clinic's notice (self_service), audit-logged."""
    if payload.starts_at is not None:
        self_service.move_own(appointment, payload.starts_at, by=request.user)
        audit.record(request.user, "move", appointment, request=request, detail="by the client, API")
    if payload.status == "cancelled":
        self_service.cancel_own(appointment, by=request.user)
        audit.record(request.user, "cancel", appointment, request=request, detail="by the client, API")
