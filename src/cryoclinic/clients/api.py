"""`/api/clients`: list, add, read and change the clinic's client records; thin over `services`. Session or token.

Every read and write is audit-logged; a record of another clinic does not exist here (404)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import CLIENT, has_role
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid, refuse_unless, require_role
from cryoclinic.api.pagination import Mapped, Pagination
from cryoclinic.api.types import Id

from . import services
from .models import Client, client_of
from .phones import normalize_phone

router = Router(tags=["clients"])


class ClientOut(Schema):
    id: int
    full_name: str
    phone: str = Field(description="E.164, e.g. +79123456789")
    email: str
    date_of_birth: dt.date | None
    skin_phototype: int | None = Field(description="Fitzpatrick I–VI as 1–6; null: not assessed")
    notes: str
    has_account: bool = Field(description="the person signs in to see their own record")
    created_at: dt.datetime
    updated_at: dt.datetime


class ClientIn(Schema):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    phone: str = Field(
        min_length=1, max_length=40, description="any common notation; Russian numbers may omit +7; stored in E.164"
    )
    email: str = Field("", max_length=254)
    date_of_birth: dt.date | None = Field(None, description="between 1900-01-01 and today")
    skin_phototype: int | None = Field(None, ge=1, le=6, description="Fitzpatrick I–VI as 1–6")
    notes: str = ""


class ClientPatch(Schema):
    """Only the fields sent are changed; null clears the date of birth or the phototype, and is refused elsewhere."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = Field(None, min_length=1, max_length=40)
    email: str | None = Field(None, max_length=254)
    date_of_birth: dt.date | None = Field(None, description="between 1900-01-01 and today")
    skin_phototype: int | None = Field(None, ge=1, le=6, description="Fitzpatrick I–VI as 1–6")
    notes: str | None = None


def _out(client: Client) -> ClientOut:
    return ClientOut(
        id=client.pk, full_name=client.full_name, phone=client.phone, email=client.email,
        date_of_birth=client.date_of_birth, skin_phototype=client.skin_phototype, notes=client.notes,
        has_account=client.user_id is not None, created_at=client.created_at, updated_at=client.updated_at,
    )


def _invalid(request: HttpRequest, exc: services.InvalidClient) -> HttpResponse:
    from cryoclinic.api.api import api

    problems = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return api.create_response(request, {"detail": "Invalid input.", "errors": problems}, status=422)


def _matching(query: str) -> Q:
    """Name, email or phone containing `query`; a phone in any notation also finds its E.164 form."""
    found = Q(full_name__icontains=query) | Q(email__icontains=query)
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) >= 3:
        found |= Q(phone__contains=digits)
    try:
        found |= Q(phone=normalize_phone(query))
    except ValidationError:
        pass  # not a phone number: the other fields still match
    return found


@router.get(
    "/clients",
    response={200: list[ClientOut]} | errors(401, 403, 422),
    auth=SESSION_OR_TOKEN,
    summary="The clinic's clients, by name (staff); `q`: name, phone or email contains",
)
@paginate(Pagination)
def list_clients(
    request: HttpRequest, q: str = Query("", max_length=200, description="part of a name, phone or email")
) -> Mapped[Client, ClientOut]:
    require_role(request, *services.READERS, message="Staff only.")
    query = q.strip()
    rows = Client.objects.filter(_matching(query)) if query else Client.objects.all()
    audit.record(request.user, "list", ("clients.client", ""), request=request, detail=f"API q={query}"[:100])
    return Mapped(rows.order_by("full_name", "pk"), _out)


@router.post(
    "/clients",
    response={201: ClientOut} | errors(401, 403, 422),
    auth=SESSION_OR_TOKEN,
    summary="Add a client record (admin, reception)",
)
def create_client(request: HttpRequest, payload: ClientIn) -> Status | HttpResponse:
    refused = refuse_unless(request, *services.CREATORS, message="Your role may not add clients.")
    if refused is not None:
        return refused
    try:
        client = services.create_client(payload.model_dump(), by=request.user, request=request)
    except services.InvalidClient as exc:
        return _invalid(request, exc)
    return Status(201, _out(client))


def _visible(request: HttpRequest, client_id: int) -> Client | HttpResponse:
    """The record if the user may read it: staff any of the clinic's, a client their own; else the 403 or 404."""
    if has_role(request.user, *services.READERS):
        client = Client.objects.filter(pk=client_id).first()
    elif has_role(request.user, CLIENT):
        own = client_of(request.user)
        client = own if own is not None and own.pk == client_id else None
    else:
        refused = refuse_unless(request, *services.READERS, CLIENT, message="Staff, or a client for their own.")
        assert refused is not None
        return refused
    if client is None:
        return invalid(request, "client_id", f"No client #{client_id} that you may see.", status=404)
    return client


@router.get(
    "/clients/{client_id}",
    response={200: ClientOut} | errors(401, 403, 404, 422),
    auth=SESSION_OR_TOKEN,
    summary="One client record (staff; a client their own)",
)
def get_client(request: HttpRequest, client_id: Id) -> ClientOut | HttpResponse:
    client = _visible(request, client_id)
    if isinstance(client, HttpResponse):
        return client
    audit.record(request.user, "view", client, request=request, detail="API")
    return _out(client)


@router.patch(
    "/clients/{client_id}",
    response={200: ClientOut} | errors(401, 403, 404, 422),
    auth=SESSION_OR_TOKEN,
    summary="Change a client record (staff: every field listed; nothing is written unless every field is valid)",
)
def patch_client(request: HttpRequest, client_id: Id, payload: ClientPatch) -> ClientOut | HttpResponse:
    refused = refuse_unless(request, *services.EDITORS, message="Your role may not change client records.")
    if refused is not None:
        return refused
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        return invalid(request, "client_id", f"No client #{client_id}.", status=404)
    try:
        client, changed = services.update_client(
            client, payload.model_dump(exclude_unset=True), by=request.user, request=request
        )
    except services.InvalidClient as exc:
        return _invalid(request, exc)
    except services.NotAllowed as exc:
        return invalid(request, exc.field, str(exc), status=403)
    if not changed:
        audit.record(request.user, "view", client, request=request, detail="API PATCH: nothing changed")
    return _out(client)
