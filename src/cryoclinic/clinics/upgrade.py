"""Upgrading a one-clinic installation (0.2.0) to the platform: the existing clinic becomes the first tenant.

Used by the data migrations that add `clinic` to the records a clinic owns. A record takes the clinic of the
record it belongs to (a session record its appointment's) where that has one, else the first clinic. An
installation with records but no clinic yet gets one (named "Clinic", to be renamed by its admin), so that
nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings


def first_clinic_id(apps: Any) -> int:
    Clinic = apps.get_model("clinics", "Clinic")
    clinic = Clinic.objects.order_by("pk").first()
    if clinic is None:
        clinic = Clinic.objects.create(
            slug="clinic", name="Clinic", city="", address="", phone="", time_zone=settings.TIME_ZONE, status="active"
        )
    return int(clinic.pk)


def fill_clinic(app_label: str, model_name: str, via: str | None = None) -> Callable[[Any, Any], None]:
    """A RunPython step: set `clinic` on every row of the model that has none, from `via` (a foreign key to a
    record that already has its clinic) where set, else the first clinic."""

    def fill(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        rows = model.objects.filter(clinic__isnull=True)
        if via is not None:
            for row in rows.exclude(**{f"{via}__isnull": True}).select_related(via):
                row.clinic_id = getattr(row, via).clinic_id
                row.save(update_fields=["clinic"])
        if rows.exists():
            rows.update(clinic_id=first_clinic_id(apps))

    return fill
