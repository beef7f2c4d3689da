"""The client's deposit page and its return page, and YooKassa's webhook. Pages translate; `services` decides."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import public, roles_required
from cryoclinic.accounts.roles import CLIENT
from cryoclinic.clients.models import client_of
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Course

from . import gateway, services
from .models import Deposit

log = logging.getLogger(__name__)


def _own_course(request: HttpRequest, pk: int) -> Course:
    client = client_of(request.user)
    courses = Course.objects.select_related("client", "clinic")
    course = get_object_or_404(courses, pk=pk, client_id=getattr(client, "pk", 0))
    audit.record(request.user, "view", course.client, request=request, detail=f"deposit of course {course.pk}")
    return course


def _render(request: HttpRequest, course: Course, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "course": course,
        "due": services.deposit_due(course),
        "latest": Deposit.objects.filter(course=course).first(),
        "procedure": knowledge.get_procedure(course.procedure),
        "error": error,
    }
    return render(request, "payments/deposit.html", context, status=status)


@roles_required(CLIENT)
@require_http_methods(["GET", "POST"])
def deposit(request: HttpRequest, pk: int) -> HttpResponse:
    """The deposit due for the client's course; POST starts the payment and sends the client to YooKassa."""
    course = _own_course(request, pk)
    if request.method == "GET":
        return _render(request, course)
    return_url = request.build_absolute_uri(reverse("payments-deposit-return", args=[course.pk]))
    try:
        started = services.start_payment(course, by=request.user, return_url=return_url)
    except services.PaymentsError as exc:
        return _render(request, course, error=str(exc), status=422)
    except gateway.GatewayError as exc:
        log.warning("deposit of course %s: %s", course.pk, exc)
        return _render(request, course, error=_payment_service_down(), status=502)
    return redirect(started.confirmation_url)


def _payment_service_down() -> str:
    from django.utils.translation import gettext as _

    return _("The payment service did not answer; nothing was charged. Try again in a few minutes.")


@roles_required(CLIENT)
@require_http_methods(["GET"])
def deposit_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Where YooKassa sends the client back: the deposit's status, asked of YooKassa if still pending."""
    course = _own_course(request, pk)
    latest = Deposit.objects.filter(course=course).first()
    if latest is not None:
        try:
            services.refresh(latest)
        except gateway.GatewayError as exc:
            log.warning("refresh of deposit %s: %s", latest.pk, exc)
    return _render(request, course)


def _refusal(status: int, field: str, message: str) -> JsonResponse:
    detail = {422: "Invalid input.", 404: "Not found.", 503: "Service unavailable."}[status]
    return JsonResponse({"detail": detail, "errors": [{"field": field, "message": message}]}, status=status)


@public
@csrf_exempt
@require_POST
def webhook(request: HttpRequest, clinic: str) -> HttpResponse:
    """YooKassa's notifications for the clinic's shop. 200 once processed (or seen before); 422 when it does not
    match what the API holds; 503 when the API cannot be asked (YooKassa sends it again later)."""
    if settings.YOOKASSA_CHECK_IP and not _from_yookassa(request.META.get("REMOTE_ADDR", "")):
        return _refusal(422, "ip", "The notification does not come from YooKassa's published addresses.")
    found = Clinic.objects.filter(slug=clinic, status=Clinic.Status.ACTIVE).first()
    if found is None:
        return _refusal(404, "clinic", f"No live clinic {clinic!r}.")
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return _refusal(422, "body", "The body is not JSON.")
    with state.activate(found):
        try:
            outcome = services.process_notification(found, body)
        except services.NotificationRejected as exc:
            log.warning("notification refused at %s: %s (%s)", clinic, exc, exc.field)
            return _refusal(422, exc.field, str(exc))
        except gateway.GatewayError as exc:
            return _refusal(503, "object.id", str(exc))
    return JsonResponse({"outcome": outcome})


def _from_yookassa(ip: str) -> bool:
    from yookassa.domain.common import SecurityHelper

    try:
        return bool(SecurityHelper().is_ip_trusted(ip))
    except Exception:  # a malformed address is not YooKassa's
        return False
