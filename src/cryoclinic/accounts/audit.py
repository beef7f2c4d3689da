"""The audit helper: every read or write of health data calls `record`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.http import HttpRequest

from cryoclinic.clinics.state import current_clinic_id

from .models import AuditEvent, PlatformAuditEvent
from .roles import roles_of


def record(
    actor: User | AnonymousUser | None,
    action: str,
    subject: models.Model | tuple[str, str],
    *,
    request: HttpRequest | None = None,
    detail: str = "",
) -> AuditEvent | PlatformAuditEvent:
    """Append one audit event to the active clinic's log (the platform's, outside a clinic); `subject` is a model
    instance or a (type, id) pair."""
    if isinstance(subject, models.Model):
        subject_type, subject_id = subject._meta.label_lower, str(subject.pk)
    else:
        subject_type, subject_id = subject
    user = actor if actor is not None and actor.is_authenticated else None
    log = AuditEvent if current_clinic_id() is not None else PlatformAuditEvent
    return log.objects.create(
        actor=user,
        actor_username=user.get_username() if user else "",
        actor_roles=",".join(sorted(roles_of(user))) if user else "",
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        path=request.get_full_path()[:300] if request else "",
        ip_address=request.META.get("REMOTE_ADDR") if request else None,
        detail=detail[:500],
    )
