"""The session screen: opened from an appointment; practitioners and admins record, reception views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import refused, roles_required
from cryoclinic.accounts.roles import ADMIN, PRACTITIONER, RECEPTION, has_role
from cryoclinic.clinics.services import clinic_or_404
from cryoclinic.guidance.session import session_dwell
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Appointment, Practitioner
from cryoclinic.screening import services as screening
from cryoclinic.screening.forms import IntakeForm

from . import events, services
from .day import day_cards
from .forms import AdverseEventForm, CorrectionForm, SessionDetailsForm, today_initial
from .models import SessionRecord
from .zones import zone_label

RECORDERS = (ADMIN, PRACTITIONER)


@roles_required(*RECORDERS)
@require_http_methods(["GET"])
def today(request: HttpRequest) -> HttpResponse:
    """The practitioner's day, for a tablet in the treatment room: their own sessions (an admin: everyone's, or
    one practitioner's), each with its screening, consent, prerequisites and dose guidance."""
    clinic = clinic_or_404()
    try:
        day = dt.date.fromisoformat(request.GET["date"]) if request.GET.get("date") else timezone.localdate()
    except ValueError as exc:
        raise Http404("Give the date as YYYY-MM-DD.") from exc
    mine = list(Practitioner.objects.filter(user_id=int(request.user.pk or 0)).values_list("pk", flat=True))
    chosen = request.GET.get("practitioner", "")
    if has_role(request.user, ADMIN):
        ids = [int(chosen)] if chosen.isdigit() else None
    else:
        ids = mine
    cards = day_cards(clinic, day, practitioner_ids=ids)
    audit.record(request.user, "view", ("treatments.day", day.isoformat()), request=request,
                 detail=f"practitioner's day, {len(cards)} sessions")
    return render(request, "treatments/today.html", {
        "day": day, "cards": cards, "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "practitioners": Practitioner.objects.order_by("pk") if has_role(request.user, ADMIN) else [],
        "chosen": chosen,
    })


def _user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


def _appointment(pk: int) -> Appointment:
    return get_object_or_404(Appointment.objects.select_related("client", "practitioner", "room", "course"), pk=pk)


def _initial(record: SessionRecord) -> dict[str, Any]:
    return {field: getattr(record, field) for field in services.DETAIL_FIELDS}


def _here(appointment: Appointment, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("staff-session", args=[appointment.pk]) + anchor)


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(pk)
    procedure = knowledge.get_procedure(appointment.procedure)
    record = services.current_record(appointment)
    may_record = has_role(request.user, *RECORDERS)
    details_form = event_form = None
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not may_record:
            return refused(request)
        action = request.POST.get("action")
        try:
            if action == "open":
                services.open_session(appointment, by=_user(request))
                return _here(appointment)
            if record is None:
                raise Http404("Open the session record first.")
            if action == "details":
                details_form = SessionDetailsForm(procedure, request.POST, prefix="details")
                if details_form.is_valid():
                    services.update_session(record, details_form.details(), by=_user(request))
                    return _here(appointment, "#details")
            elif action == "reaction":
                event_form = AdverseEventForm(procedure, request.POST, prefix="event")
                if event_form.is_valid():
                    events.record_adverse_event(
                        appointment.client, appointment.procedure, appointment=appointment, by=_user(request),
                        today=timezone.localdate(), **event_form.cleaned_data,
                    )
                    return _here(appointment, "#reactions")
            elif action == "aftercare":
                services.issue_aftercare(record, request.POST.get("language", ""), by=_user(request))
                return _here(appointment, "#aftercare")
            elif action == "complete":
                services.complete_session(record, by=_user(request))
                return _here(appointment)
            else:
                errors.append(f"Unknown action {action!r}.")
        except services.IncompleteSession as exc:
            errors.extend(item.label for item in exc.missing)
        except (services.SessionError, events.EventError) as exc:
            errors.append(str(exc))
        status = 422
    else:
        audit.record(request.user, "view", record or appointment, request=request, detail="session screen")
    context: dict[str, Any] = {
        "appointment": appointment, "procedure": procedure, "record": record, "may_record": may_record,
        "errors": errors, "consent_on_file": screening.consent_on_file(appointment.client, procedure),
        "adverse_events": appointment.adverse_events.all(),
        "side_effect_labels": {s.code: s.text for s in procedure.side_effects},
    }
    if record is not None:
        is_draft = record.status == SessionRecord.Status.DRAFT
        context |= {
            "is_draft": is_draft,
            "details_form": details_form or SessionDetailsForm(procedure, initial=_initial(record), prefix="details"),
            "event_form": event_form or AdverseEventForm(procedure, initial=today_initial(), prefix="event"),
            "missing": services.missing_items(record) if is_draft else [],
            "duration_warning": services.duration_warning(record),
            "versions": services.versions(appointment),
            "zone_labels": [zone_label(code) for code in record.zones],
            "dwell": session_dwell(appointment.procedure, record.technique, record.zones),
            "stage_labels": {s.code: s.text for s in procedure.protocol_stages},
            "preparation": [
                (item, record.intake is not None and item.code in record.intake.preparation_confirmed)
                for item in procedure.preparation.before_the_day
            ],
        }
    return render(request, "treatments/session.html", context, status=status)


@roles_required(*RECORDERS)
@require_http_methods(["GET", "POST"])
def rescreen(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's answers and preparation, screened by the engine and attached to the session as a new intake."""
    appointment = _appointment(pk)
    procedure = knowledge.get_procedure(appointment.procedure)
    record = services.current_record(appointment)
    if record is None or record.status != SessionRecord.Status.DRAFT:
        raise Http404("No session in progress for this appointment.")
    form = IntakeForm(procedure, request.POST if request.method == "POST" else None)
    form.fields.pop("last_course_end")
    if request.method == "POST" and form.is_valid():
        intake = services.rescreen(
            record, form.answers(), by=_user(request), today=timezone.localdate(),
            preparation_confirmed=form.preparation_confirmed(),
        )
        audit.record(request.user, "create", intake, request=request, detail=f"session re-screen: {intake.decision}")
        return _here(appointment, "#prechecks")
    audit.record(request.user, "view", appointment.client, request=request, detail="session re-screen form")
    context = {"appointment": appointment, "client": appointment.client, "procedure": procedure, "form": form}
    return render(request, "treatments/rescreen.html", context, status=422 if request.method == "POST" else 200)


@roles_required(*RECORDERS)
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction of the completed record: a new version; the earlier ones stay as they were."""
    appointment = _appointment(pk)
    procedure = knowledge.get_procedure(appointment.procedure)
    record = services.current_record(appointment)
    if record is None or record.status != SessionRecord.Status.COMPLETED:
        raise Http404("Only a completed session record is corrected.")
    errors: list[str] = []
    if request.method == "POST":
        form = CorrectionForm(procedure, request.POST)
        if form.is_valid():
            try:
                services.correct_session(record, form.details(), reason=form.cleaned_data["reason"],
                                         by=_user(request))
                return _here(appointment, "#history")
            except services.IncompleteSession as exc:
                errors.extend(item.label for item in exc.missing)
            except services.SessionError as exc:
                errors.append(str(exc))
    else:
        form = CorrectionForm(procedure, initial=_initial(record))
        audit.record(request.user, "view", record, request=request, detail="correction form")
    context = {"appointment": appointment, "procedure": procedure, "record": record, "form": form, "errors": errors}
    return render(request, "treatments/correct.html", context, status=422 if request.method == "POST" else 200)
