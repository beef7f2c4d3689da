"""`GET /api/clients/{id}/fhir`: the same Bundle and the same rules as the pages; session or token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from cryoclinic.accounts.roles import CLIENT, has_role
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid, refuse_unless
from cryoclinic.api.types import Id
from cryoclinic.clients.models import Client, client_of

from .download import EXPORT_ROLES, bundle_download
from .export import CONTENT_TYPE

router = Router(tags=["fhir"])

_BUNDLE_200 = {
    200: {
        "description": "A FHIR R4 Bundle of type collection, as a file",
        "content": {CONTENT_TYPE: {"schema": {
            "type": "object", "required": ["resourceType", "type"],
            "properties": {"resourceType": {"const": "Bundle"}, "type": {"const": "collection"}},
        }}},
    },
}


@router.get(
    "/clients/{client_id}/fhir",
    auth=SESSION_OR_TOKEN,
    response=errors(401, 403, 404, 422),
    summary="A client's record as a FHIR R4 Bundle (admin, practitioner; a client their own)",
    openapi_extra={"responses": _BUNDLE_200},
)
def client_bundle(request: HttpRequest, client_id: Id) -> HttpResponse:
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
