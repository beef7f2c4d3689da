"""The record downloads: the client's own, and any client's for the staff who may export it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import CLIENT
from cryoclinic.clients.models import Client, client_of

from .download import EXPORT_ROLES, bundle_download


@roles_required(CLIENT)
def my_record_fhir(request: HttpRequest) -> HttpResponse:
    client = client_of(request.user)
    if client is None:
        raise Http404("Your account is not linked to a client record.")
    return bundle_download(request, client, detail="own record")


@roles_required(*EXPORT_ROLES)
def client_record_fhir(request: HttpRequest, pk: int) -> HttpResponse:
    return bundle_download(request, get_object_or_404(Client, pk=pk), detail="staff download")
