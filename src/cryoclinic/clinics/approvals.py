"""The platform admin's approvals: a new clinic goes live."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from . import state
from .models import Clinic


def approve_clinic(clinic: Clinic, *, by: Any, request: HttpRequest | None = None) -> Clinic:
    """Make a pending clinic live; recorded in the clinic's audit log."""
    from cryoclinic.accounts import audit

    Clinic.objects.filter(pk=clinic.pk).update(status=Clinic.Status.ACTIVE, approved_by=by, approved_at=timezone.now())
    clinic.refresh_from_db()
    with state.activate(clinic):
        audit.record(by, "approve", clinic, request=request, detail="clinic approved by the platform")
    return clinic
