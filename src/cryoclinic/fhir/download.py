"""The download both the pages and the API serve: the Bundle as a file, and the audit event of the read."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import ADMIN, PRACTITIONER
from cryoclinic.clients.models import Client

from .export import CONTENT_TYPE, build_bundle, bundle_json, filename

# Staff who may take a client's whole record out of the system: those who treat (practitioner) and the admin.
# Reception books and sees contact details; a bulk copy of health data is not needed for that (data minimisation).
EXPORT_ROLES = (ADMIN, PRACTITIONER)


def bundle_download(request: HttpRequest, client: Client, *, detail: str) -> HttpResponse:
    language = "en" if (get_language() or "ru").startswith("en") else "ru"
    bundle = build_bundle(client, language)
    user: User | AnonymousUser = request.user  # type: ignore[assignment]
    audit.record(user, "export", client, request=request, detail=f"{detail}: FHIR R4 Bundle, "
                                                                   f"{len(bundle.entry or [])} resources, {language}")
    response = HttpResponse(bundle_json(bundle).encode("utf-8"), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(client)}"'
    return response
