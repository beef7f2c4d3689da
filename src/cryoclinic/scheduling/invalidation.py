"""The clinics' cached planning data (`caching.SCHEDULING`, `services.clinic_spec`) goes stale on every save or
delete of what it is read from, whatever path made it (staff pages, API, admin, demo)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from cryoclinic import caching

from .models import Absence, Clinic, ClosedDay, OpeningHours, Practitioner, Room, WorkingHours

READ_FROM = (Clinic, Practitioner, WorkingHours, Absence, OpeningHours, ClosedDay, Room)


def changed(**_kwargs: Any) -> None:
    caching.invalidate(caching.SCHEDULING)


def connect() -> None:
    for model in READ_FROM:
        post_save.connect(changed, sender=model, dispatch_uid=f"scheduling-cache-{model._meta.label}-save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"scheduling-cache-{model._meta.label}-delete")
