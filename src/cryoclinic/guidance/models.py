"""A clinic's own readings of its coolant, per technique: what the calibration (`dosimetry.calibration`) infers
the coolant's heat-transfer coefficient from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import Clinic, ClinicOwned
from cryoclinic.dosimetry.calibration import Reading


class CoolantReading(ClinicOwned):
    """One reading: the surface temperature after a timed application (IR thermometer or thermal camera), or the
    time to the first visible frost; on a forearm or a skin phantom."""

    class Kind(models.TextChoices):
        SURFACE = "surface_c", _("surface temperature after a timed application")
        FROST = "frost_s", _("time to visible frost")

    class Site(models.TextChoices):
        FOREARM = "forearm", _("forearm")
        PHANTOM = "phantom", _("skin phantom")

    class Instrument(models.TextChoices):
        IR_THERMOMETER = "ir_thermometer", _("infrared thermometer")
        THERMAL_CAMERA = "thermal_camera", _("thermal camera")
        EYE = "eye", _("by eye, with a stopwatch")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="coolant_readings", editable=False)
    technique = models.CharField(_("technique"), max_length=40)
    kind = models.CharField(_("reading"), max_length=10, choices=Kind.choices)
    site = models.CharField(_("site"), max_length=10, choices=Site.choices)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    coolant_s = models.FloatField(_("application, s"), null=True, blank=True)
    value = models.FloatField(_("value"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["clinic", "technique"], name="coolant_reading_technique")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["surface_c", "frost_s"]), name="coolant_reading_kind_known"),
            models.CheckConstraint(
                condition=Q(kind="frost_s") | Q(coolant_s__isnull=False), name="coolant_reading_surface_is_timed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technique} {self.kind} {self.value:g}"

    def as_reading(self) -> Reading:
        return Reading(self.kind, self.value, self.coolant_s or 0.0, self.site)
