"""One error body for the whole API: {"detail", "errors": [{"field", "message"}]}."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def invalid(request: HttpRequest, field: str, message: str, *, status: int = 422) -> HttpResponse:
    from cryoclinic.api.api import api

    body = {"detail": "Invalid input.", "errors": [{"field": field, "message": message}]}
    return api.create_response(request, body, status=status)


def refuse_unless(
    request: HttpRequest, *roles: str, message: str = "Your role does not allow this."
) -> HttpResponse | None:
    """A 403 in the API's error shape unless the user holds one of `roles`; None when allowed."""
    from cryoclinic.accounts.roles import has_role

    return None if has_role(request.user, *roles) else invalid(request, "", message, status=403)
