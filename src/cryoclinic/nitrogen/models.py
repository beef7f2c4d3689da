"""Liquid-nitrogen stock: Dewar vessels, their fills and level readings, and consumption rates.

No consumption figure is built in: per-session use depends on the technique, the vessel and the
practitioner, and we found no publication to cite. A rate is either entered with its published
source, or measured by the clinic (estimated from its own level readings, see `forecast.estimate_rates`)
and marked so.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import Clinic, ClinicOwned


class Dewar(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="dewars", editable=False)
    name = models.CharField(_("name"), max_length=100)
    capacity_l = models.DecimalField(_("capacity, L"), max_digits=6, decimal_places=2)
    reserve_l = models.DecimalField(
        _("reserve, L"),
        max_digits=6,
        decimal_places=2,
        default=0,
        help_text=_("the level below which the vessel counts as empty (unusable remainder, safety stock)"),
    )
    boil_off_l_per_day = models.DecimalField(
        _("boil-off, L/day"),
        max_digits=5,
        decimal_places=3,
        help_text=_("static evaporation rate, from the manufacturer's datasheet or measured"),
    )
    boil_off_source = models.CharField(
        _("source of the boil-off rate"),
        max_length=300,
        help_text=_("e.g. the datasheet's model and page, or 'measured by the clinic, readings of …'"),
    )
    refill_lead_days = models.PositiveSmallIntegerField(
        _("refill lead time, days"), default=2, help_text=_("how many days ahead the supplier must be called")
    )
    procedures = models.JSONField(
        default=list, blank=True, help_text=_("procedure slugs served from this vessel; empty: all")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="dewar_unique_name"),
            models.CheckConstraint(condition=Q(capacity_l__gt=0), name="dewar_capacity_positive"),
            models.CheckConstraint(
                condition=Q(reserve_l__gte=0) & Q(reserve_l__lt=F("capacity_l")), name="dewar_reserve_in_range"
            ),
            models.CheckConstraint(condition=Q(boil_off_l_per_day__gte=0), name="dewar_boil_off_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity_l} L)"


class LevelReading(ClinicOwned):
    class Kind(models.TextChoices):
        FILL = "fill", _("filled to")
        READING = "reading", _("measured level")

    dewar = models.ForeignKey(Dewar, on_delete=models.CASCADE, related_name="readings")
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level_l = models.DecimalField(_("level, L"), max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["dewar", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(level_l__gte=0), name="reading_level_non_negative"),
            models.CheckConstraint(condition=Q(kind__in=["fill", "reading"]), name="reading_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.dewar.name} {self.at:%Y-%m-%d %H:%M}: {self.level_l} L"

    def clean(self) -> None:
        if self.dewar_id is not None and self.level_l is not None and self.level_l > self.dewar.capacity_l:
            raise ValidationError(
                {"level_l": _("The level cannot exceed the vessel's capacity of %(capacity)s L.")},
                params={"capacity": self.dewar.capacity_l},
            )


class ConsumptionRate(ClinicOwned):
    class Provenance(models.TextChoices):
        PUBLISHED = "published", _("published")
        CLINIC_MEASURED = "clinic_measured", _("measured by the clinic")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="consumption_rates", editable=False)
    procedure = models.SlugField(_("procedure"))
    technique = models.CharField(_("technique"), max_length=50, blank=True, help_text=_("empty: any technique"))
    litres_per_session = models.DecimalField(_("litres per session"), max_digits=5, decimal_places=3)
    provenance = models.CharField(_("provenance"), max_length=20, choices=Provenance.choices)
    source = models.CharField(
        _("source"), max_length=300, help_text=_("the publication, or how and when the clinic measured it")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "procedure", "technique"], name="consumption_rate_unique"),
            models.CheckConstraint(condition=Q(litres_per_session__gt=0), name="consumption_rate_positive"),
            models.CheckConstraint(condition=~Q(source=""), name="consumption_rate_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} {self.technique or '*'}: {self.litres_per_session} L"
