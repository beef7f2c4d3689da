"""`/api/appointments/{id}/session` and `/api/adverse-events`: thin over the treatments services. Session or token."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import ADMIN, PRACTITIONER, RECEPTION
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid, refuse_unless, require_role
from cryoclinic.api.pagination import Mapped, Pagination
from cryoclinic.api.types import Id
from cryoclinic.clients.models import Client
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Appointment

from . import events, services
from .models import AdverseEvent, SessionRecord

router = Router(tags=["treatments"])
STAFF = (ADMIN, PRACTITIONER, RECEPTION)
RECORDERS = (ADMIN, PRACTITIONER)


class MissingOut(Schema):
    code: str
    label: str


class SessionOut(Schema):
    id: int
    appointment: int
    version: int
    status: str
    technique: str
    zones: list[str]
    lesion_site: str
    lesion_size_mm: Decimal | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    stages_done: list[str]
    reactions: list[str]
    notes: str
    intake_decision: str | None
    aftercare_language: str
    missing: list[MissingOut]
    duration_warning: str | None


class SessionPatch(Schema):
    technique: str | None = None
    zones: list[str] | None = None
    lesion_site: str | None = None
    lesion_size_mm: Decimal | None = None
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    stages_done: list[str] | None = None
    reactions: list[str] | None = None
    notes: str | None = None


class EventIn(Schema):
    client: Id
    procedure: str
    code: str
    severity: str
    onset_on: dt.date
    resolved_on: dt.date | None = None
    description: str = ""
    appointment: Id | None = None


class EventOut(Schema):
    id: int
    client: int
    procedure: str
    appointment: int | None
    code: str
    severity: str
    onset_on: dt.date
    resolved_on: dt.date | None
    description: str


def _session_out(record: SessionRecord) -> SessionOut:
    draft = record.status == SessionRecord.Status.DRAFT
    return SessionOut(
        id=record.pk, appointment=record.appointment_id, version=record.version, status=record.status,
        technique=record.technique, zones=record.zones, lesion_site=record.lesion_site,
        lesion_size_mm=record.lesion_size_mm, started_at=record.started_at, ended_at=record.ended_at,
        stages_done=record.stages_done, reactions=record.reactions, notes=record.notes,
        intake_decision=record.intake.decision if record.intake else None,
        aftercare_language=record.aftercare_language,
        missing=[MissingOut(code=m.code, label=m.label) for m in services.missing_items(record)] if draft else [],
        duration_warning=services.duration_warning(record),
    )


def _event_out(event: AdverseEvent) -> EventOut:
    return EventOut(
        id=event.pk, client=event.client_id, procedure=event.procedure, appointment=event.appointment_id,
        code=event.code, severity=event.severity, onset_on=event.onset_on, resolved_on=event.resolved_on,
        description=event.description,
    )


def _refuse(request: HttpRequest, *roles: str) -> HttpResponse | None:
    return refuse_unless(request, *roles, message="Your role does not allow this.")


def _incomplete(request: HttpRequest, exc: services.IncompleteSession) -> HttpResponse:
    from cryoclinic.api.api import api

    errors = [{"field": item.code, "message": item.label} for item in exc.missing]
    return api.create_response(request, {"detail": str(exc), "errors": errors}, status=422)


def _appointment_and_record(
    request: HttpRequest, appointment_id: Id
) -> tuple[Appointment, SessionRecord | None] | HttpResponse:
    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None:
        return invalid(request, "appointment_id", f"No appointment #{appointment_id}.", status=404)
    return appointment, services.current_record(appointment)


def _open_record(request: HttpRequest, appointment_id: Id, *roles: str) -> SessionRecord | HttpResponse:
    """The appointment's session record for a caller holding one of `roles`, or the refusal to send."""
    refused = _refuse(request, *roles)
    found = refused or _appointment_and_record(request, appointment_id)
    if isinstance(found, HttpResponse):
        return found
    if found[1] is None:
        return invalid(request, "appointment_id", "No session record yet: POST to open one.", status=404)
    return found[1]


@router.get("/appointments/{appointment_id}/session", response={200: SessionOut} | errors(401, 403, 404, 422),
            auth=SESSION_OR_TOKEN,
            summary="The appointment's session record (latest version) with what is still missing")
def get_session(request: HttpRequest, appointment_id: Id) -> SessionOut | HttpResponse:
    record = _open_record(request, appointment_id, *STAFF)
    if isinstance(record, HttpResponse):
        return record
    audit.record(request.user, "view", record, request=request, detail="api")
    return _session_out(record)


@router.post("/appointments/{appointment_id}/session", response={201: SessionOut} | errors(401, 403, 404, 422),
             auth=SESSION_OR_TOKEN,
             summary="Open the session record of an appointment (returns the existing one if open)")
def open_session(request: HttpRequest, appointment_id: Id) -> Status | HttpResponse:
    refused = _refuse(request, *RECORDERS)
    found = refused or _appointment_and_record(request, appointment_id)
    if isinstance(found, HttpResponse):
        return found
    try:
        record = services.open_session(found[0], by=request.user)  # type: ignore[arg-type]
    except services.SessionError as exc:
        return invalid(request, exc.field, str(exc))
    return Status(201, _session_out(record))


@router.patch("/appointments/{appointment_id}/session", response={200: SessionOut} | errors(401, 403, 404, 422),
              auth=SESSION_OR_TOKEN,
              summary="Record details of a session in progress (only the fields sent change)")
def patch_session(request: HttpRequest, appointment_id: Id, payload: SessionPatch) -> SessionOut | HttpResponse:
    current = _open_record(request, appointment_id, *RECORDERS)
    if isinstance(current, HttpResponse):
        return current
    try:
        record = services.update_session(current, payload.dict(exclude_unset=True), by=request.user)  # type: ignore[arg-type]
    except services.SessionError as exc:
        return invalid(request, exc.field, str(exc))
    return _session_out(record)


@router.post("/appointments/{appointment_id}/session/complete",
             response={200: SessionOut} | errors(401, 403, 404, 422), auth=SESSION_OR_TOKEN,
             summary="Complete the session; a 422 names every missing item")
def complete_session(request: HttpRequest, appointment_id: Id) -> SessionOut | HttpResponse:
    current = _open_record(request, appointment_id, *RECORDERS)
    if isinstance(current, HttpResponse):
        return current
    try:
        record = services.complete_session(current, by=request.user)  # type: ignore[arg-type]
    except services.IncompleteSession as exc:
        return _incomplete(request, exc)
    except services.SessionError as exc:
        return invalid(request, exc.field, str(exc))
    return _session_out(record)


@router.get("/adverse-events", response={200: list[EventOut]} | errors(401, 403, 422), auth=SESSION_OR_TOKEN,
            summary="Reported adverse events (staff), newest onset first")
@paginate(Pagination)
def list_events(
    request: HttpRequest,
    client: Id | None = None,
    procedure: str | None = None,
    onset_from: dt.date | None = None,
    onset_to: dt.date | None = None,
) -> Mapped[AdverseEvent, EventOut]:
    require_role(request, *STAFF)
    rows = AdverseEvent.objects.all()
    if client is not None:
        rows = rows.filter(client_id=client)
    if procedure:
        rows = rows.filter(procedure=procedure)
    if onset_from:
        rows = rows.filter(onset_on__gte=onset_from)
    if onset_to:
        rows = rows.filter(onset_on__lte=onset_to)
    audit.record(request.user, "list", ("treatments.adverseevent", ""), request=request, detail="api")
    return Mapped(rows.order_by("-onset_on", "-pk"), _event_out)


@router.post("/adverse-events", response={201: EventOut} | errors(401, 403, 404, 422), auth=SESSION_OR_TOKEN,
             summary="Report an adverse event coded by the procedure's side effects (or `other`)")
def report_event(request: HttpRequest, payload: EventIn) -> Status | HttpResponse:
    refused = _refuse(request, *RECORDERS)
    if refused is not None:
        return refused
    client = Client.objects.filter(pk=payload.client).first()
    if client is None:
        return invalid(request, "client", f"No client #{payload.client}.", status=404)
    appointment = None
    if payload.appointment is not None:
        appointment = Appointment.objects.filter(pk=payload.appointment).first()
        if appointment is None:
            return invalid(request, "appointment", f"No appointment #{payload.appointment}.", status=404)
    if payload.procedure not in knowledge.procedure_slugs():
        return invalid(request, "procedure", f"Unknown procedure; known: {', '.join(knowledge.procedure_slugs())}.")
    try:
        event = events.record_adverse_event(
            client, payload.procedure, code=payload.code, severity=payload.severity, onset_on=payload.onset_on,
            resolved_on=payload.resolved_on, description=payload.description, appointment=appointment,
            by=request.user, today=timezone.localdate(),  # type: ignore[arg-type]
        )
    except events.EventError as exc:
        return invalid(request, exc.field, str(exc))
    return Status(201, _event_out(event))
