"""`GET /api/clients/{id}/fhir`: the same Bundle and the same rules as the pages. Session auth."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.security import django_auth

from cryoclinic.accounts.roles import CLIENT, has_role
from cryoclinic.api.errors import invalid, refuse_unless
from cryoclinic.clients.models import Client, client_of

from .download import EXPORT_ROLES, bundle_download
from .export import CONTENT_TYPE

router = Router(tags=["fhir"])

_ERROR = {"type": "object", "properties": {"detail": {"type": "string"}, "errors": {"type": "array"}}}
_RESPONSES = {
    200: {
        "description": "A FHIR R4 Bundle of type collection, as a file",
        "content": {CONTENT_TYPE: {"schema": {
            "type": "object", "required": ["resourceType", "type"],
            "properties": {"resourceType": {"const": "Bundle"}, "type": {"const": "collection"}},
        }}},
    },
    401: {"description": "Not signed in", "content": {"application/json": {"schema": {"type": "object"}}}},
    403: {"description": "Your role may not export records", "content": {"application/json": {"schema": _ERROR}}},
    404: {"description": "No such client that you may see", "content": {"application/json": {"schema": _ERROR}}},
}


@router.get(
    "/clients/{client_id}/fhir",
    auth=django_auth,
    summary="A client's record as a FHIR R4 Bundle (admin, practitioner; a client their own)",
    openapi_extra={"responses": _RESPONSES},
)
def client_bundle(request: HttpRequest, client_id: int) -> HttpResponse:
    client: Client | None
    if has_role(request.user, *EXPORT_ROLES):
        client = Client.objects.filter(pk=client_id).first()
    elif has_role(request.user, CLIENT):
        own = client_of(request.user)
        client = own if own is not None and own.pk == client_id else None
    else:
        refused = refuse_unless(request, *EXPORT_ROLES, CLIENT, message="Your role may not export client records.")
        assert refused is not None
        return refused
    if client is None:
        return invalid(request, "client_id", f"No client #{client_id} that you may see.", status=404)
    return bundle_download(request, client, detail="API")
