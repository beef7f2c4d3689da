"""One error body for the whole API: {"detail", "errors": [{"field", "message"}]}."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def invalid(request: HttpRequest, field: str, message: str, *, status: int = 422) -> HttpResponse:
    from cryoclinic.api.api import api

    body = {"detail": "Invalid input.", "errors": [{"field": field, "message": message}]}
    return api.create_response(request, body, status=status)
