"""The JSON API. Closed by default (a session or a bearer token); public operations say `auth=None` explicitly.

Every 4xx has one body, {"detail", "errors": [{"field", "message"}]}, including ninja's own refusals."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from cryoclinic.booking import api as booking
from cryoclinic.clients import api as clients
from cryoclinic.directory import api as directory
from cryoclinic.guidance import api as dosimetry
from cryoclinic.scheduling import api as scheduling
from cryoclinic.scheduling import resources_api
from cryoclinic.screening import api as screening
from cryoclinic.treatments import api as treatments

from . import procedures
from .auth import SESSION_OR_TOKEN
from .errors import ApiError, body, detail_for

api = NinjaAPI(
    title="cryoclinic API",
    version="1",
    description=(
        "Knowledge base, screening, clients, scheduling, treatments, dose guidance and directory of a liquid-nitrogen "
        "cryotherapy clinic. Every medical item carries its source. Sign in (session, CSRF token on writes) or "
        "send `Authorization: Bearer <token>`; lists take `limit` and `offset` and answer {items, count}; "
        'every error is {"detail", "errors": [{"field", "message"}]}.'
    ),
    auth=SESSION_OR_TOKEN,
    urls_namespace="api",
    docs_url="/docs",
)


def _field_of(loc: tuple[object, ...]) -> str:
    """The field as the client sent it: ninja's location minus "body" and the body parameter's own name."""
    if loc[:1] == ("body",):
        loc = loc[2:]
    return ".".join(str(part) for part in loc if part not in ("query", "path", "ninja_pagination"))


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """422 with each problem naming its field."""
    errors = [
        {"field": _field_of(tuple(err.get("loc", ()))), "message": err.get("msg", "invalid")} for err in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, body(exc.detail, exc.field, exc.message), status=exc.status)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals: no or a bad credential (401), a failed CSRF check (403), a body that is not JSON."""
    if isinstance(exc, AuthenticationError):
        message = "Sign in, or send a valid `Authorization: Bearer <token>`."
        return api.create_response(request, body(detail_for(401), "", message), status=401)
    if exc.status_code == 400:
        return api.create_response(request, body("Invalid input.", "body", str(exc)), status=422)
    return api.create_response(request, body(detail_for(exc.status_code), "", str(exc)), status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, body(detail_for(404), "", str(exc) or "Not found."), status=404)


api.add_router("/procedures", procedures.router)
api.add_router("/screening", screening.router)
api.add_router("/directory", directory.router)
api.add_router("/clinics", directory.clinics_router)
api.add_router("", scheduling.router)
api.add_router("", resources_api.router)
api.add_router("", treatments.router)
api.add_router("", booking.router)
api.add_router("", clients.router)
api.add_router("/dosimetry", dosimetry.router)
api.add_router("", "cryoclinic.fhir.api.router")
