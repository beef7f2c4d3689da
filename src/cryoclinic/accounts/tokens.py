"""API tokens: issue, revoke and check. A token is bound to the clinic it was issued in and acts only there.
Every issue and revocation is audit-logged in that clinic."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic

from . import audit
from .models import ApiToken

PREFIX = "cc_"
LAST_USED_EVERY = dt.timedelta(minutes=1)  # spares a database write on every request


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(
    user: User, name: str, *, by: User | None = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user` in the active clinic; returns the row and the token itself, which is never stored
    and never shown again."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, token_hash=_digest(raw), prefix=raw[:10])
    audit.record(by or user, "create", token, request=request, detail=f"API token {name!r} for {user}")
    return token, raw


def revoke(
    token: ApiToken, *, by: User | None = None, request: HttpRequest | None = None
) -> ApiToken:
    """Revoke a token (idempotent: a revoked token keeps the time it was first revoked)."""
    if ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now()):
        audit.record(by or token.user, "revoke", token, request=request, detail=f"API token {token.name!r}")
    token.refresh_from_db(fields=["revoked_at"])
    return token


def clinic_of(raw: str) -> Clinic | None:
    """The clinic an active token acts for (read across clinics: the token is how a request names its clinic)."""
    with state.platform():
        active = ApiToken.objects.filter(token_hash=_digest(raw), revoked_at=None)
        clinic_id = active.values_list("clinic_id", flat=True).first()
    return Clinic.objects.filter(pk=clinic_id).first() if clinic_id is not None else None


def user_for(raw: str) -> User | None:
    """The active user a token of the active clinic belongs to; None for an unknown, revoked or other clinic's
    token, or an inactive user."""
    if state.current_clinic_id() is None:
        return None  # the request names no clinic: no token of this platform matched (ClinicMiddleware)
    token = ApiToken.objects.select_related("user").filter(token_hash=_digest(raw), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
