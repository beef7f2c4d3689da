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

    clinic.status, clinic.approved_by, clinic.approved_at = Clinic.Status.ACTIVE, by, timezone.now()
    clinic.save(update_fields=["status", "approved_by", "approved_at"])  # a save: the directory's cache hears it
    with state.activate(clinic):
        audit.record(by, "approve", clinic, request=request, detail="clinic approved by the platform")
    return clinic
