"""Free time and online booking over the API: `GET /api/clinics/{id}/slots` (public) and `/api/booking/{clinic_id}/…`
(a signed-in person, session or token; a token acts only in the clinic it was issued in). The steps and their
rules are `booking.services`; here input and output are translated, refusals given their status and field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from cryoclinic.accounts import audit
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid
from cryoclinic.api.types import Id, LocalTime
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge.services import UnknownProcedure
from cryoclinic.scheduling import availability
from cryoclinic.scheduling import services as scheduling
from cryoclinic.scheduling.models import Course
from cryoclinic.scheduling.planning import PlanResult
from cryoclinic.screening.engine import Reason

from . import services
from .services import BookingError, Choice, NotOffered, SlotTaken

router = Router(tags=["booking"])
T = TypeVar("T")


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime


class SlotsOut(Schema):
    clinic: int
    procedure: str
    time_zone: str
    slots: list[SlotOut]


class SlotQuery(Schema):
    procedure: str = Field(min_length=1, max_length=50)
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")


@router.get(
    "/clinics/{clinic_id}/slots",
    response={200: SlotsOut} | errors(404, 422),
    auth=None,
    summary="Free time of a live clinic for one session of a procedure, day by day (at most 31 days)",
    description="Computed by the planner from the clinic's live calendar on every call (never a copy): each start at "
    "which a practitioner who performs the procedure and a room that allows it are free. 404: no such live clinic, or "
    "it does not offer the procedure online; 422: a bad or unbounded range.",
)
def slots(request: HttpRequest, clinic_id: Id, query: Query[SlotQuery]) -> SlotsOut | HttpResponse:
    try:
        clinic = services.live_clinic(clinic_id)
        services.offered_procedure(clinic, query.procedure)
    except NotOffered as exc:
        return invalid(request, exc.field, str(exc), status=404)
    except BookingError as exc:
        return invalid(request, exc.field, str(exc))
    today = timezone.now().astimezone(_zone(clinic)).date()
    if query.date_from < today:
        return invalid(request, "from", f"Free time starts today ({today.isoformat()}) at the earliest.")
    if query.date_to < query.date_from:
        return invalid(request, "to", "`to` must not be before `from`.")
    if (query.date_to - query.date_from).days >= availability.MAX_RANGE_DAYS:
        return invalid(request, "to", f"Ask for at most {availability.MAX_RANGE_DAYS} days at once.")
    try:
        found = availability.free_slots(clinic, query.procedure, query.date_from, query.date_to)
    except (UnknownProcedure, scheduling.SchedulingError) as exc:
        return invalid(request, "procedure", str(exc))
    return SlotsOut(
        clinic=clinic.pk, procedure=query.procedure, time_zone=clinic.time_zone,
        slots=[SlotOut(start=s.start, end=s.end) for s in found],
    )


def _zone(clinic: Clinic):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(clinic.time_zone)


class IntakeIn(Schema):
    procedure: str
    answers: dict[str, bool] = Field(description="every contraindication code of the procedure -> yes (true) / no")


class IntakeReasonOut(Schema):
    code: str
    decision: str
    text: str
    source: str


class IntakeOut(Schema):
    intake: int
    decision: str
    reasons: list[IntakeReasonOut]
    bookable: bool
    online: bool = Field(True, description="answered online: the clinic screens again on the day")
    advice: str


class CodeIn(Schema):
    procedure: str
    language: str = Field("ru", description="the language of the consent document: ru or en")


class CodeOut(Schema):
    code_id: int
    channel: str
    sent_to: str
    expires_at: dt.datetime


class SignIn(Schema):
    code_id: Id
    code: str = Field(min_length=1, max_length=12)


class SignedOut(Schema):
    consent: int
    procedure: str
    language: str
    knowledge_version: str
    document_sha256: str
    signed_at: dt.datetime
    channel: str


class ChoiceIn(Schema):
    procedure: str
    start: dt.date
    time: LocalTime = Field(description="the time of day the sessions should start at, as near as free")
    whole_course: bool = Field(True, description="all sessions of the course (true) or one session")


class BookIn(ChoiceIn):
    sessions: list[dt.datetime] = Field(min_length=1, description="the session starts proposed by …/plan")


class ProposedOut(Schema):
    index: int
    start: dt.datetime
    end: dt.datetime


class ProposalOut(Schema):
    ok: bool
    sessions: list[ProposedOut]
    failure: str
    nearest_start: dt.date | None


class BookedOut(Schema):
    course: int
    status: str
    requested: bool = Field(description="caution on screening: the clinic confirms the course before it is booked")
    sessions: list[ProposedOut]
    next: str = Field(description="the booking's final page (the deposit step hooks in there)")


def _in_clinic(request: HttpRequest, clinic_id: int) -> Clinic:
    """The live clinic named in the path; a token issued in another clinic does not reach it (a 404)."""
    clinic = services.live_clinic(clinic_id)
    bearer = request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer ")
    token_clinic = getattr(request, "clinic", None)
    if bearer and (token_clinic is None or token_clinic.pk != clinic.pk):
        raise NotOffered("clinic_id", f"No live clinic #{clinic_id} for this token.")
    return clinic


def _answer(request: HttpRequest, step: Callable[[], T]) -> T | HttpResponse:
    """Run one step; its refusals as the API's error body with their status and field."""
    try:
        return step()
    except NotOffered as exc:
        return invalid(request, exc.field, str(exc), status=404)
    except BookingError as exc:
        return invalid(request, exc.field, str(exc))
    except scheduling.NotAllowed as exc:
        return invalid(request, "procedure", str(exc))
    except scheduling.SchedulingError as exc:
        return invalid(request, exc.field, str(exc))
    except scheduling.CourseAlreadyOpen as exc:
        return invalid(request, exc.field, str(exc), status=409)
    except SlotTaken as exc:
        return invalid(request, "sessions", str(exc), status=409)


def _reasons(reasons: tuple[Reason, ...] | list[dict[str, object]], language: str) -> list[IntakeReasonOut]:
    out = []
    for r in reasons:
        if isinstance(r, dict):
            text = r["text"][language] if isinstance(r["text"], dict) else str(r["text"])
            out.append(IntakeReasonOut(code=str(r["code"]), decision=str(r["decision"]), text=str(text),
                                 source=str(r["source"])))
    return out


def _language(request: HttpRequest) -> str:
    return "ru" if (getattr(request, "LANGUAGE_CODE", "ru") or "ru").startswith("ru") else "en"


@router.post(
    "/booking/{clinic_id}/intake",
    response={201: IntakeOut} | errors(401, 403, 404, 422),
    auth=SESSION_OR_TOKEN,
    summary="Answer the screening questionnaire online (an intake the clinic sees, re-screened on the day)",
)
def intake(request: HttpRequest, clinic_id: Id, payload: IntakeIn) -> Status | HttpResponse:
    user: User = request.user  # type: ignore[assignment]

    def step() -> Status:
        clinic = _in_clinic(request, clinic_id)
        record = services.answer_questionnaire(clinic, user, payload.procedure, payload.answers,
                                               today=timezone.localdate())
        with state.activate(clinic):
            audit.record(user, "create", record, request=request, detail="intake answered online")
        bookable = record.decision in ("eligible", "caution") and not record.missing_prerequisites
        return Status(201, IntakeOut(
            intake=record.pk, decision=record.decision, reasons=_reasons(record.reasons, _language(request)),
            bookable=bookable, online=True, advice=_advice(record.decision),
        ))

    return _answer(request, step)


def _advice(decision: str) -> str:
    return {
        "contraindicated": "Not bookable: see a doctor about the reasons given.",
        "postpone": "Not bookable yet: the reasons say until when or what must change.",
        "caution": "Bookable as a request: the clinic confirms it after reading your answers.",
    }.get(decision, "Bookable: sign the consent, then choose the time.")


@router.post(
    "/booking/{clinic_id}/consent-codes",
    response={201: CodeOut} | errors(401, 403, 404, 422),
    auth=SESSION_OR_TOKEN,
    summary="Send a one-time code to your verified phone (or email) to sign the consent",
)
def consent_code(request: HttpRequest, clinic_id: Id, payload: CodeIn) -> Status | HttpResponse:
    user: User = request.user  # type: ignore[assignment]

    def step() -> Status:
        clinic = _in_clinic(request, clinic_id)
        row = services.send_consent_code(clinic, user, payload.procedure, payload.language, now=timezone.now())
        return Status(201, CodeOut(code_id=row.pk, channel=row.channel, sent_to=masked(row.destination),
                                   expires_at=row.expires_at))

    return _answer(request, step)


def masked(destination: str) -> str:
    """Enough to recognise one's own phone or email, not enough to learn someone's."""
    if "@" in destination:
        name, domain = destination.split("@", 1)
        return f"{name[:1]}***@{domain}"
    return f"{destination[:2]}*****{destination[-2:]}"


@router.post(
    "/booking/{clinic_id}/consents",
    response={201: SignedOut} | errors(401, 403, 404, 422),  # 404: no such code of yours at this clinic
    auth=SESSION_OR_TOKEN,
    summary="Sign the consent with the code (simple electronic signature); wrong, expired or used codes: 422",
)
def sign(request: HttpRequest, clinic_id: Id, payload: SignIn) -> Status | HttpResponse:
    user: User = request.user  # type: ignore[assignment]

    def step() -> Status:
        clinic = _in_clinic(request, clinic_id)
        signed = services.sign_consent(clinic, user, payload.code_id, payload.code, now=timezone.now())
        with state.activate(clinic):
            audit.record(user, "create", signed.consent, request=request, detail="consent signed online")
        return Status(201, SignedOut(
            consent=signed.consent_id, procedure=signed.code.procedure, language=signed.language,
            knowledge_version=signed.knowledge_version, document_sha256=signed.document_sha256,
            signed_at=signed.signed_at, channel=signed.channel,
        ))

    return _answer(request, step)


def _choice(payload: ChoiceIn) -> Choice:
    return Choice(procedure=payload.procedure, start=payload.start, time_of_day=payload.time,
                  whole_course=payload.whole_course)


def _proposed(result: PlanResult) -> list[ProposedOut]:
    return [ProposedOut(index=s.index, start=s.start, end=s.end) for s in result.sessions]


@router.post(
    "/booking/{clinic_id}/plan",
    response={200: ProposalOut} | errors(401, 403, 404, 422),
    auth=SESSION_OR_TOKEN,
    summary="The planner's proposal: every session of the course (or one) at the time of day chosen",
)
def plan(request: HttpRequest, clinic_id: Id, payload: ChoiceIn) -> ProposalOut | HttpResponse:
    user: User = request.user  # type: ignore[assignment]

    def step() -> ProposalOut:
        clinic = _in_clinic(request, clinic_id)
        result = services.propose(clinic, user, _choice(payload), today=timezone.localdate())
        return ProposalOut(ok=result.ok, sessions=_proposed(result),
                       failure=result.failure.message if result.failure else "", nearest_start=result.nearest_start)

    return _answer(request, step)


@router.post(
    "/booking/{clinic_id}/courses",
    response={201: BookedOut} | errors(401, 403, 404, 409, 422),
    auth=SESSION_OR_TOKEN,
    summary="Book the proposed sessions; 409 when they were taken meanwhile (the message gives the next free time)",
)
def book(request: HttpRequest, clinic_id: Id, payload: BookIn) -> Status | HttpResponse:
    user: User = request.user  # type: ignore[assignment]

    def step() -> Status:
        clinic = _in_clinic(request, clinic_id)
        course = services.book(clinic, user, _choice(payload), payload.sessions, today=timezone.localdate())
        with state.activate(clinic):
            audit.record(user, "create", course, request=request, detail="course booked online")
            return Status(201, _booked(course))

    return _answer(request, step)


def _booked(course: Course) -> BookedOut:
    from django.urls import reverse

    rows = course.appointments.order_by("session_number")
    return BookedOut(
        course=course.pk, status=course.status, requested=course.status == Course.Status.REQUESTED,
        sessions=[ProposedOut(index=a.session_number or 0, start=a.starts_at, end=a.ends_at) for a in rows],
        next=reverse("booking-done", kwargs={"course_id": course.pk}),
    )
