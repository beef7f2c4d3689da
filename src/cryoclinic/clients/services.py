"""Creating and changing a client record: the one place for who may write which field, and how it is checked.

The pages (the client's own edit form) and the API both write through here, so a rule cannot be bypassed:
- who: the roles that hold `clients.add_client` / `clients.change_client` in `accounts/roles.py` (the table
  the Django admin enforces too); a client changes only their own record, and only its contact details;
- what: the phone is parsed with `phonenumbers` (Russia by default) and stored in E.164, the date of birth lies
  between 1900 and today, every other field as the model says;
- how: every problem is reported with its field and nothing is written; every write is audit-logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import CLIENT, CLINIC_ROLES, ROLE_PERMISSIONS, has_role

from .models import Client
from .phones import normalize_phone

CONTACT_FIELDS = ("full_name", "date_of_birth", "phone", "email")
CLINICAL_FIELDS = ("skin_phototype", "notes")
STAFF_FIELDS = CONTACT_FIELDS + CLINICAL_FIELDS
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _roles_with(permission: str) -> tuple[str, ...]:
    return tuple(role for role in CLINIC_ROLES if permission in ROLE_PERMISSIONS[role])


READERS = _roles_with("clients.view_client")
CREATORS = _roles_with("clients.add_client")
EDITORS = _roles_with("clients.change_client")


class InvalidClient(ValueError):
    """Input that cannot be written; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = dict(errors)


class NotAllowed(PermissionError):
    """The user's role may not make this write; `field` names the field where one field is the reason."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


Actor = User | AnonymousUser


def changeable_fields(user: Actor, client: Client) -> tuple[str, ...]:
    """The fields `user` may change in `client`: staff every field, a client their own contact details."""
    if has_role(user, *EDITORS):
        return STAFF_FIELDS
    if has_role(user, CLIENT) and client.user_id is not None and client.user_id == user.pk:
        return CONTACT_FIELDS
    return ()


def _clean_phone(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Enter the client's phone number, e.g. +7 912 345-67-89."))
    return normalize_phone(value.strip())


def _clean_date_of_birth(value: object) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or not (EARLIEST_BIRTH <= value <= timezone.localdate()):
        raise ValidationError(_("Enter a date of birth between 1900 and today."))
    return value


def _clean(field: str, value: object) -> object:
    if value is None and not Client._meta.get_field(field).null:
        raise ValidationError(_("This field cannot be empty (null); send a value."))
    if field == "phone":
        return _clean_phone(value)
    if field == "date_of_birth":
        return _clean_date_of_birth(value)
    if field in ("full_name", "email") and isinstance(value, str):
        return value.strip()
    return value


def _apply(client: Client, data: Mapping[str, object]) -> list[str]:
    """Set the checked values on `client` (not saved) and return the fields whose value changed."""
    errors: dict[str, str] = {}
    changed = []
    for field, value in data.items():
        try:
            cleaned = _clean(field, value)
        except ValidationError as exc:
            errors[field] = exc.messages[0]
            continue
        if getattr(client, field) != cleaned:
            setattr(client, field, cleaned)
            changed.append(field)
    # Only the fields given are checked: a record's other fields were valid when written.
    unchecked = [f.name for f in Client._meta.fields if f.name not in data or f.name in errors]
    try:
        client.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if errors:
        raise InvalidClient(errors)
    return changed


def create_client(data: Mapping[str, object], *, by: Actor, request: HttpRequest | None = None) -> Client:
    """A new record in the active clinic from the staff fields in `data`."""
    if not has_role(by, *CREATORS):
        raise NotAllowed(_("Your role may not add clients."))
    unknown = sorted(set(data) - set(STAFF_FIELDS))
    if unknown:
        raise InvalidClient({field: _("Not a field of a client record.") for field in unknown})
    client = Client()
    _apply(client, {"full_name": "", "phone": "", **data})
    client.save()
    audit.record(by, "create", client, request=request, detail="fields: " + ",".join(sorted(data)))
    return client


@transaction.atomic
def update_client(
    client: Client, data: Mapping[str, object], *, by: Actor, request: HttpRequest | None = None
) -> tuple[Client, list[str]]:
    """Change the fields in `data` that `by` may change; returns the record as saved and the fields changed.

    A field `by` may not change is refused, even with its current value: the caller sent something it had no
    right to send. Nothing is written unless every field is valid."""
    row = Client.objects.select_for_update().get(pk=client.pk)
    allowed = changeable_fields(by, row)
    if not allowed:
        raise NotAllowed(_("Your role may not change this client record."))
    for field in data:
        if field not in STAFF_FIELDS:
            raise InvalidClient({field: _("Not a field of a client record.")})
        if field not in allowed:
            raise NotAllowed(_("Your role may not change %(field)s.") % {"field": field}, field=field)
    changed = _apply(row, data)
    if changed:
        row.save(update_fields=[*changed, "updated_at"])
        own = row.user_id is not None and row.user_id == by.pk
        detail = ("own record: " if own else "fields: ") + ",".join(changed)
        audit.record(by, "change", row, request=request, detail=detail)
    return row, changed
