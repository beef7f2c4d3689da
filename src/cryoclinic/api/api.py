"""The JSON API. Closed by default (session auth); public operations say `auth=None` explicitly."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from cryoclinic.directory import api as directory
from cryoclinic.guidance import api as dosimetry
from cryoclinic.scheduling import api as scheduling
from cryoclinic.scheduling import resources_api
from cryoclinic.screening import api as screening
from cryoclinic.treatments import api as treatments

from . import procedures

api = NinjaAPI(
    title="cryoclinic API",
    version="1",
    description=(
        "Knowledge base, screening, scheduling and directory of a liquid-nitrogen cryotherapy "
        "clinic. Every medical item carries its source."
    ),
    auth=django_auth,
    urls_namespace="api",
    docs_url="/docs",
)


def _field_of(loc: tuple[object, ...]) -> str:
    """The field as the client sent it: ninja's location minus "body" and the body parameter's own name."""
    if loc[:1] == ("body",):
        loc = loc[2:]
    return ".".join(str(part) for part in loc if part not in ("query", "path"))


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """422 with each problem naming its field."""
    errors = [
        {"field": _field_of(tuple(err.get("loc", ()))), "message": err.get("msg", "invalid")} for err in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


api.add_router("/procedures", procedures.router)
api.add_router("/screening", screening.router)
api.add_router("/directory", directory.router)
api.add_router("", scheduling.router)
api.add_router("", resources_api.router)
api.add_router("", treatments.router)
api.add_router("/dosimetry", dosimetry.router)
api.add_router("", "cryoclinic.fhir.api.router")
