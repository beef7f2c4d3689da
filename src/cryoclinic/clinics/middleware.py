"""Every request acts for one clinic, or for none: the scope is set here, before any view reads a record."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import services, state
from .models import Clinic

BEARER = "bearer "


def _bearer_clinic(request: HttpRequest) -> Clinic | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith(BEARER):
        return None
    from cryoclinic.accounts import tokens

    return tokens.clinic_of(header[len(BEARER):].strip())


class ClinicMiddleware:
    """An API token acts for the clinic it was issued in; a signed-in person for the clinic chosen in the
    switcher (or their only one); anyone else for no clinic. A signed-in person's 404 is audit-logged: that is
    what asking for another clinic's record looks like from inside a clinic."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clinic = _bearer_clinic(request) or services.clinic_for_request(request)
        request.clinic = clinic  # type: ignore[attr-defined]
        with state.activate(clinic) if clinic is not None else state.no_clinic():
            response = self.get_response(request)
            if response.status_code == 404 and request.user.is_authenticated:
                _audit_not_found(request)
        return response


def _audit_not_found(request: HttpRequest) -> None:
    from cryoclinic.accounts import audit

    match = request.resolver_match
    name = match.view_name if match else "unknown"
    kwargs = ",".join(f"{k}={v}" for k, v in sorted(match.kwargs.items())) if match else ""
    audit.record(request.user, "not_found", (name[:60], kwargs[:60]), request=request, detail="no such record here")
