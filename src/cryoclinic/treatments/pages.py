"""Adverse events, follow-up tasks, outcomes (staff and the client's own), and the access-checked photo view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import refused, roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION, STAFF_ROLES, has_role
from cryoclinic.clients.models import client_of
from cryoclinic.http import posted_id
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Appointment, Course

from . import events, outcomes
from .forms import PhotoForm, ResolveForm, ScoreForm
from .models import AdverseEvent, FollowUpTask, OutcomePhoto

RECORDERS = (ADMIN, PRACTITIONER)


def _user(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


def _labels() -> dict[tuple[str, str], Any]:
    return {(p.slug, s.code): s.text for p in knowledge.list_procedures() for s in p.side_effects}


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
@require_http_methods(["GET", "POST"])
def adverse_events(request: HttpRequest) -> HttpResponse:
    """Every reported event, unresolved first; practitioners and admins record a resolution."""
    error = ""
    if request.method == "POST":
        if not has_role(request.user, *RECORDERS):
            return refused(request)
        event = get_object_or_404(AdverseEvent, pk=posted_id(request, "event"))
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                events.resolve_event(event, form.cleaned_data["resolved_on"], by=_user(request),
                                     today=timezone.localdate())
                return HttpResponseRedirect(reverse("staff-adverse-events"))
            except events.EventError as exc:
                error = str(exc)
        else:
            error = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    rows = AdverseEvent.objects.select_related("client", "appointment__practitioner").order_by(
        "resolved_on", "-onset_on", "-id"
    )[:300]
    audit.record(request.user, "list", ("treatments.adverseevent", ""), request=request)
    context = {"events": rows, "labels": _labels(), "error": error, "may_record": has_role(request.user, *RECORDERS)}
    return render(request, "treatments/adverse_events.html", context, status=422 if error else 200)


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
@require_http_methods(["GET", "POST"])
def tasks(request: HttpRequest) -> HttpResponse:
    """Open tasks by due day, then those done in the last 14 days. Opening the list also creates newly due tasks."""
    if request.method == "POST":
        task = get_object_or_404(FollowUpTask, pk=posted_id(request, "task"))
        try:
            events.complete_task(task, by=_user(request))
        except events.EventError:
            pass  # already done by someone else: the list shows it
        return HttpResponseRedirect(reverse("staff-tasks"))
    events.create_due_tasks(timezone.localdate())
    recent = Q(done=False) | Q(done_at__gte=timezone.now() - dt.timedelta(days=14))
    rows = FollowUpTask.objects.filter(recent).select_related("client", "done_by")
    audit.record(request.user, "list", ("treatments.followuptask", ""), request=request)
    return render(request, "treatments/tasks.html", {"tasks": rows.order_by("done", "due_on", "id")[:300],
                                                     "today": timezone.localdate()})


def _outcome_context(owner: outcomes.Owner) -> dict[str, Any]:
    procedure = knowledge.get_procedure(owner.procedure)
    latest = outcomes.latest_scores(owner)
    results = [(r, latest["practitioner"].get(r.code), latest["client"].get(r.code)) for r in procedure.results]
    return {"owner": owner, "procedure": procedure, "results": results, "photos": outcomes.photos_of(owner)}


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
@require_http_methods(["GET", "POST"])
def staff_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcomes of the appointment's course (or of the appointment itself): scores and photos."""
    appointment = get_object_or_404(Appointment.objects.select_related("client", "course"), pk=pk)
    owner = outcomes.owner_of(appointment)
    procedure = knowledge.get_procedure(appointment.procedure)
    score_form, photo_form, error = ScoreForm(procedure, prefix="score"), PhotoForm(prefix="photo"), ""
    if request.method == "POST":
        if not has_role(request.user, *RECORDERS):
            return refused(request)
        try:
            if request.POST.get("action") == "photo":
                photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
                if photo_form.is_valid():
                    outcomes.store_photo(owner, photo_form.cleaned_data["kind"], photo_form.cleaned_data["image"],
                                         by=_user(request))
                    return HttpResponseRedirect(request.path + "#photos")
            else:
                score_form = ScoreForm(procedure, request.POST, prefix="score")
                if score_form.is_valid():
                    outcomes.record_scores(owner, score_form.scores(), scorer="practitioner", by=_user(request))
                    return HttpResponseRedirect(request.path + "#scores")
        except outcomes.OutcomeError as exc:
            (photo_form if exc.field == "image" else score_form).add_error(None, str(exc))
        error = "invalid"
    else:
        audit.record(request.user, "view", appointment.client, request=request, detail=f"outcomes {owner}")
    context = _outcome_context(owner) | {
        "appointment": appointment, "score_form": score_form, "photo_form": photo_form,
        "may_record": has_role(request.user, *RECORDERS),
    }
    return render(request, "treatments/staff_outcomes.html", context, status=422 if error else 200)


@roles_required(CLIENT)
@require_http_methods(["GET", "POST"])
def my_outcomes(request: HttpRequest) -> HttpResponse:
    """The client's own courses (and single procedures): results to score, scores, before/after photos."""
    client = client_of(request.user)
    if client is None:
        return render(request, "treatments/my_outcomes.html", {"items": []})
    owners: list[outcomes.Owner] = list(Course.objects.filter(client=client).exclude(status=Course.Status.CANCELLED))
    owners += list(Appointment.objects.filter(client=client, course__isnull=True, status=Appointment.Status.DONE))
    status = 200
    posted = request.POST.get("owner") if request.method == "POST" else None
    items = []
    for owner in owners:
        key = f"{owner._meta.model_name}-{owner.pk}"
        procedure = knowledge.get_procedure(owner.procedure)
        form = ScoreForm(procedure, request.POST if posted == key else None, prefix=key)
        if posted == key and form.is_valid():
            outcomes.record_scores(owner, form.scores(), scorer="client", by=_user(request))
            return HttpResponseRedirect(reverse("my-outcomes") + f"#{key}")
        status = 422 if posted == key else status
        items.append(_outcome_context(owner) | {"key": key, "form": form})
    audit.record(request.user, "view", client, request=request, detail="own outcomes")
    return render(request, "treatments/my_outcomes.html", {"items": items}, status=status)


@roles_required(*STAFF_ROLES, CLIENT)
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A photo to staff, or to the client it shows; anyone else gets a 404 (its existence is not disclosed)."""
    item = get_object_or_404(OutcomePhoto, pk=pk)
    if not has_role(request.user, *STAFF_ROLES):
        own = client_of(request.user)
        if own is None or own.pk != item.client_id:
            raise Http404("No such photo.")
    audit.record(request.user, "view", item, request=request, detail=f"{item.kind} photo")
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response
