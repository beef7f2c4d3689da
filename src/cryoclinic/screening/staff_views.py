"""Staff pages for one client and one procedure: the intake, prerequisites, consent and documents."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import refused, roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION, has_role
from cryoclinic.clients.models import Client, client_of
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.treatments.history import adverse_event_codes

from . import services
from .forms import ConsentForm, IntakeForm, PrerequisiteForm


def _procedure(slug: str) -> ProcedureData:
    try:
        return knowledge.get_procedure(slug)
    except knowledge.UnknownProcedure as exc:
        raise Http404(str(exc)) from exc


def _user(request: HttpRequest):  # type: ignore[no-untyped-def]
    return request.user if request.user.is_authenticated else None


@roles_required(ADMIN, PRACTITIONER)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A new intake for the client: every contraindication asked, every preparation item confirmed or not."""
    client = get_object_or_404(Client, pk=pk)
    procedure = _procedure(slug)
    form = IntakeForm(procedure, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        record = services.record_intake(
            client, slug, form.answers(), by=_user(request), today=timezone.localdate(),
            preparation_confirmed=form.preparation_confirmed(),
            last_course_end=form.cleaned_data["last_course_end"],
        )
        audit.record(request.user, "create", record, request=request, detail=f"intake {slug}: {record.decision}")
        return HttpResponseRedirect(reverse("staff-client-procedure", args=[client.pk, slug]) + "#latest-intake")
    audit.record(request.user, "view", client, request=request, detail=f"intake form {slug}")
    status = 422 if request.method == "POST" else 200
    context = {"client": client, "procedure": procedure, "form": form}
    return render(request, "screening/intake.html", context, status=status)


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
@require_http_methods(["GET", "POST"])
def client_procedure(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The client and one procedure: the latest decision, intake history, prerequisites, consent, documents."""
    client = get_object_or_404(Client, pk=pk)
    procedure = _procedure(slug)
    prerequisite_form = PrerequisiteForm(procedure, prefix="prerequisite")
    consent_form = ConsentForm(prefix="consent", initial={"signed_on": timezone.localdate()})
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "prerequisite" and has_role(request.user, ADMIN, PRACTITIONER):
        prerequisite_form = PrerequisiteForm(procedure, request.POST, prefix="prerequisite")
        if prerequisite_form.is_valid():
            data = prerequisite_form.cleaned_data
            record = services.record_prerequisite(
                client, slug, data["code"], data["done_on"], by=_user(request), today=timezone.localdate(),
                note=data["note"],
            )
            audit.record(request.user, "create", record, request=request, detail=f"prerequisite {data['code']}")
            return HttpResponseRedirect(request.path + "#prerequisites")
    elif action == "consent":
        consent_form = ConsentForm(request.POST, prefix="consent")
        if consent_form.is_valid():
            data = consent_form.cleaned_data
            consent = services.record_consent(
                client, slug, language=data["language"], signed_on=data["signed_on"], by=_user(request),
                today=timezone.localdate(),
            )
            audit.record(request.user, "create", consent, request=request, detail=f"consent {slug}")
            return HttpResponseRedirect(request.path + "#consent")
    elif request.method == "POST":
        return refused(request)
    audit.record(request.user, "view", client, request=request, detail=f"screening record {slug}")
    check = services.may_book(
        client, slug, timezone.localdate(), adverse_event_codes=adverse_event_codes(client, slug)
    )
    context = {
        "client": client,
        "procedure": procedure,
        "check": check,
        "intakes": client.intakes.filter(procedure=slug),
        "prerequisites": client.prerequisites.filter(procedure=slug),
        "prerequisite_labels": {p.code: p.text for p in procedure.preparation.prerequisites},
        "consents": client.consents.filter(procedure=slug),
        "prerequisite_form": prerequisite_form,
        "consent_form": consent_form,
        "may_record_prerequisites": has_role(request.user, ADMIN, PRACTITIONER),
        "adverse_events": client.adverse_events.filter(procedure=slug),
        "side_effect_labels": {s.code: s.text for s in procedure.side_effects},
        "appointments": client.appointments.filter(procedure=slug).select_related("practitioner")
        .order_by("-starts_at")[:50],
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "screening/client_procedure.html", context, status=status)


def _pdf_response(client: Client, slug: str, kind: str, language: str) -> HttpResponse:
    from cryoclinic.ops import documents as rendered  # the worker renders ahead; a miss renders here once

    from .documents import KINDS, LANGUAGES

    if kind not in KINDS or language not in LANGUAGES:
        raise Http404(f"No such document: {kind} in {language}.")
    _procedure(slug)
    pdf = rendered.pdf(client, slug, kind, language, timezone.localdate())  # type: ignore[arg-type]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{slug}-{client.pk}-{language}.pdf"'
    return response


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
def client_document(request: HttpRequest, pk: int, slug: str, kind: str, language: str) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    audit.record(request.user, "view", client, request=request, detail=f"document {kind} {slug} {language}")
    return _pdf_response(client, slug, kind, language)


@roles_required(CLIENT)
def my_document(request: HttpRequest, slug: str, kind: str, language: str) -> HttpResponse:
    client = client_of(request.user)
    if client is None:
        raise Http404("Your account is not linked to a client record.")
    audit.record(request.user, "view", client, request=request, detail=f"own document {kind} {slug} {language}")
    return _pdf_response(client, slug, kind, language)
