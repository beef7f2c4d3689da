"""Site-wide pages: home, the after-login switchboard, the staff dashboard, health."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cryoclinic.accounts.access import public, roles_required, signed_in
from cryoclinic.accounts.roles import ADMIN, CLIENT, PLATFORM_ADMIN, PRACTITIONER, RECEPTION, STAFF_ROLES, roles_of
from cryoclinic.knowledge import services as knowledge


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"procedures": knowledge.list_procedures()})


@public
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@signed_in
def after_login(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if roles & set(STAFF_ROLES):
        return redirect("staff-dashboard")
    if CLIENT in roles:
        return redirect("my-record")
    if PLATFORM_ADMIN in roles:
        return redirect("platform-directory")  # the platform admin's work: claims, the directory, clinics
    return redirect("my-data")  # a new account, no clinic's client yet: what is held, and where to book


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html", {"procedures": knowledge.list_procedures()})
