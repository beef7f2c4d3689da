"""The online booking wizard: questionnaire → consent signed with a code → time → done. Any signed-in person at any
live clinic; anonymous visitors are shown the way to sign up or sign in (the pages are public for that, and every
step checks for a signed-in person itself). The steps are `booking.services`; here forms go in, pages come out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import public, refused, roles_required
from cryoclinic.accounts.roles import ADMIN, PRACTITIONER, RECEPTION, has_role
from cryoclinic.clients.models import client_of
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.services import clinic_or_404, clinics_of
from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.payments.services import deposit_due
from cryoclinic.scheduling import services as scheduling
from cryoclinic.scheduling.models import Course

from . import services
from .api import masked
from .forms import BookForm, ChoiceForm, CodeForm, OnlineIntakeForm
from .services import BookingError, Choice, NotOffered, SlotTaken


def _target(clinic_id: int, slug: str) -> tuple[Clinic, ProcedureData]:
    try:
        clinic = services.live_clinic(clinic_id)
        return clinic, services.offered_procedure(clinic, slug)
    except (NotOffered, BookingError) as exc:
        raise Http404(str(exc)) from exc


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"booking/{template}", context, status=status)


def _sign_up_first(request: HttpRequest, clinic: Clinic, procedure: ProcedureData) -> HttpResponse:
    here = urlencode({"next": request.get_full_path()})
    language = (get_language() or "ru")[:2]
    return _page(request, "sign_up_first.html", {
        "clinic": clinic, "procedure": procedure,
        "signup": f"/{language}/accounts/signup/?{here}", "login": f"{reverse('login')}?{here}",
    })


Step = Callable[[HttpRequest, User, Clinic, ProcedureData], HttpResponse]


def _wizard_step(view: Step) -> Callable[..., HttpResponse]:
    """A step of the wizard: the live clinic and the procedure it offers from the path (else a 404), and a
    signed-in person (an anonymous visitor is shown the way to sign up or sign in)."""

    @wraps(view)
    def step(request: HttpRequest, clinic_id: int, procedure: str) -> HttpResponse:
        clinic, data = _target(clinic_id, procedure)
        if not request.user.is_authenticated:
            return _sign_up_first(request, clinic, data)
        return view(request, request.user, clinic, data)  # type: ignore[arg-type]

    return step


def _language() -> str:
    return "ru" if (get_language() or "ru").startswith("ru") else "en"


@public
@require_http_methods(["GET", "POST"])
@_wizard_step
def start(request: HttpRequest, user: User, clinic: Clinic, data: ProcedureData) -> HttpResponse:
    """Step 1: the screening questionnaire; its decision with reasons, and the way on when it allows booking."""
    form = OnlineIntakeForm(data, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            intake = services.answer_questionnaire(clinic, user, data.slug, form.answers(), today=timezone.localdate())
            with state.activate(clinic):
                audit.record(user, "create", intake, request=request, detail="intake answered online")
        else:
            status = 422
    check = services.latest_check(clinic, user, data.slug, timezone.localdate())
    return _page(request, "start.html", {"clinic": clinic, "procedure": data, "form": form, "check": check,
                                          "next_step": _next_step(check)}, status)


def _next_step(check: Any) -> str:
    if check is None or check.decision not in ("eligible", "caution") or check.missing_prerequisites:
        return ""
    return "consent" if check.missing_consent else "time"


@public
@require_http_methods(["GET", "POST"])
@_wizard_step
def consent(request: HttpRequest, user: User, clinic: Clinic, data: ProcedureData) -> HttpResponse:
    """Step 2: the consent document, a code sent to the verified phone or email, the code entered back."""
    language = request.POST.get("language") or _language()
    context: dict[str, Any] = {"clinic": clinic, "procedure": data, "language": language, "code_form": None}
    status = 200
    try:
        if request.POST.get("action") == "send":
            row = services.send_consent_code(clinic, user, data.slug, language, now=timezone.now())
            context["code_form"] = CodeForm(initial={"code_id": row.pk})
            context["sent_to"] = masked(row.destination)
        elif request.POST.get("action") == "sign":
            form = CodeForm(request.POST)
            context["code_form"] = form
            if form.is_valid():
                signed = services.sign_consent(clinic, user, form.cleaned_data["code_id"], form.cleaned_data["code"],
                                               now=timezone.now())
                with state.activate(clinic):
                    audit.record(user, "create", signed.consent, request=request, detail="consent signed online")
                return redirect("booking-time", clinic_id=clinic.pk, procedure=data.slug)
            status = 422
    except BookingError as exc:
        context["error"], context["error_field"], status = str(exc), exc.field, 422
    except NotOffered as exc:
        raise Http404(str(exc)) from exc
    with state.activate(clinic):
        client = client_of(user)
        if client is None:
            context["error"] = context.get("error") or _("Answer the screening questionnaire first.")
        else:
            context["document"] = services.consent_document(client, data.slug, language, timezone.localdate())
    return _page(request, "consent.html", context, status)


@public
@require_http_methods(["GET", "POST"])
@_wizard_step
def choose_time(request: HttpRequest, user: User, clinic: Clinic, data: ProcedureData) -> HttpResponse:
    """Step 3: a day and a time of day; the planner's proposal of every session; booked on confirmation."""
    context: dict[str, Any] = {"clinic": clinic, "procedure": data}
    status = 200
    try:
        if request.method == "POST":
            form: ChoiceForm = BookForm(request.POST)
            if form.is_valid():
                course = services.book(clinic, user, _choice(data, form.cleaned_data), form.cleaned_data["sessions"],
                                       today=timezone.localdate())
                with state.activate(clinic):
                    audit.record(user, "create", course, request=request, detail="course booked online")
                return redirect("booking-done", course_id=course.pk)
            status = 422
        else:
            form = ChoiceForm(request.GET or None, initial={"start": timezone.localdate(), "whole_course": "1"})
        if form.is_valid():
            context["plan"] = services.propose(clinic, user, _choice(data, form.cleaned_data),
                                               today=timezone.localdate())
            context["choice"] = form.cleaned_data
    except SlotTaken as exc:
        context["error"], context["plan"], context["choice"], status = str(exc), exc.plan, form.cleaned_data, 409
    except scheduling.NotAllowed as exc:
        context["error"], context["check"], status = str(exc), exc.check, 422
    except (BookingError, scheduling.SchedulingError) as exc:
        context["error"], status = str(exc), 422
    except scheduling.CourseAlreadyOpen as exc:
        context["error"], status = str(exc), 409
    context["form"] = form
    return _page(request, "time.html", context, status)


def _choice(data: ProcedureData, cleaned: dict[str, Any]) -> Choice:
    return Choice(procedure=data.slug, start=cleaned["start"], time_of_day=cleaned["time"],
                  whole_course=cleaned["whole_course"])


@public
def done(request: HttpRequest, course_id: int) -> HttpResponse:
    """The booking's last page: the course as booked, or as requested when the clinic confirms it first."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
    for clinic in clinics_of(request.user):
        with state.activate(clinic):
            course = Course.objects.filter(pk=course_id, client__user_id=request.user.pk).first()
            if course is not None:
                audit.record(request.user, "view", course, request=request, detail="online booking done")
                sessions = list(course.appointments.order_by("session_number"))
                return _page(request, "done.html", {"clinic": clinic, "course": course, "sessions": sessions,
                                                    "due": deposit_due(course)})
    raise Http404("No such booking of yours.")


@roles_required(ADMIN, RECEPTION, PRACTITIONER)
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    """Staff: courses requested online (screening said caution), to confirm or decline after reading the intake."""
    clinic = clinic_or_404()
    may_decide = has_role(request.user, ADMIN, RECEPTION)
    status, error = 200, ""
    if request.method == "POST":
        if not may_decide:
            return refused(request)
        status, error = _decide(request)
        if status == 200:
            return redirect("booking-requests")
    rows = Course.objects.filter(status=Course.Status.REQUESTED).select_related("client").prefetch_related(
        "appointments", "client__intakes__online_marks")
    audit.record(request.user, "list", ("scheduling.course", "requested"), request=request, detail="online requests")
    return _page(request, "requests.html", {"clinic": clinic, "courses": rows, "may_decide": may_decide,
                                             "error": error}, status)


def _decide(request: HttpRequest) -> tuple[int, str]:
    """Confirm or decline one requested course: (200, "") done, else the status and why."""
    course = Course.objects.filter(pk=request.POST.get("course") or 0).first()
    if course is None:
        raise Http404("No such course here.")
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            scheduling.confirm_request(course, by=request.user)  # type: ignore[arg-type]
        elif decision == "decline":
            reason = request.POST.get("reason", "")
            scheduling.decline_request(course, reason=reason, by=request.user)  # type: ignore[arg-type]
        else:
            return 422, _("Choose confirm or decline.")
    except scheduling.SchedulingError as exc:
        return 422, str(exc)
    except scheduling.CourseClosed as exc:
        return 409, str(exc)
    audit.record(request.user, "change", course, request=request, detail=f"online request: {decision}")
    return 200, ""

