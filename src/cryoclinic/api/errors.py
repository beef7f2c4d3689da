"""One error body for the whole API: {"detail", "errors": [{"field", "message"}]}."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Schema

_DETAIL = {
    401: "Authentication required.",
    403: "Forbidden.",
    404: "Not found.",
    405: "Method not allowed.",
    409: "Conflict.",
    422: "Invalid input.",
}


def detail_for(status: int) -> str:
    """The `detail` of an error body: what kind of refusal it is; `errors` says which field and why."""
    return _DETAIL.get(status, "Request refused.")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError]


class ApiError(Exception):
    """Raised where a response cannot be returned (paginated operations); rendered in the error shape."""

    def __init__(self, status: int, field: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.status, self.field, self.message = status, field, message
        self.detail = detail or detail_for(status)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation declares in the OpenAPI document, e.g. `{200: X} | errors(401, 422)`."""
    return {status: ErrorOut for status in statuses}


def body(detail: str, field: str = "", message: str = "") -> dict[str, object]:
    """The error body; `field` is "" where the refusal is not about one input."""
    return {"detail": detail, "errors": [{"field": field, "message": message}] if message else []}


def invalid(request: HttpRequest, field: str, message: str, *, status: int = 422) -> HttpResponse:
    from cryoclinic.api.api import api

    return api.create_response(request, body(detail_for(status), field, message), status=status)


def refuse_unless(
    request: HttpRequest, *roles: str, message: str = "Your role does not allow this."
) -> HttpResponse | None:
    """A 403 in the API's error shape unless the user holds one of `roles`; None when allowed."""
    from cryoclinic.accounts.access import audit_refusal
    from cryoclinic.accounts.roles import has_role

    if has_role(request.user, *roles):
        return None
    audit_refusal(request)
    return invalid(request, "", message, status=403)


def require_role(request: HttpRequest, *roles: str, message: str = "Your role does not allow this.") -> None:
    """Raise the 403 unless the user holds one of `roles` (for operations that cannot return a response)."""
    from cryoclinic.accounts.access import audit_refusal
    from cryoclinic.accounts.roles import has_role

    if not has_role(request.user, *roles):
        audit_refusal(request)
        raise ApiError(403, "", message)
