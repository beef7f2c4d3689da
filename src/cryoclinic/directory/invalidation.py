"""The directory's cached answers (`caching.DIRECTORY`) go stale on every write to what they are read from.

Saves and deletes arrive here as signals, whatever path made them (page, API, admin, import, command); the few
queryset updates that send no signal call `changed()` themselves (claims, review moderation, clinic approval).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from cryoclinic import caching
from cryoclinic.clinics.models import Clinic

from .models import City, ClinicPrice, PriceEntry, Review, Salon

READ_FROM = (City, Salon, PriceEntry, ClinicPrice, Review, Clinic)


def changed(**_kwargs: Any) -> None:
    caching.invalidate(caching.DIRECTORY)


def connect() -> None:
    for model in READ_FROM:
        post_save.connect(changed, sender=model, dispatch_uid=f"directory-cache-{model._meta.label}-save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"directory-cache-{model._meta.label}-delete")
