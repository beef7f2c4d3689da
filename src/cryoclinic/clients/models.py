from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .phones import format_phone

PHOTOTYPES = ("I", "II", "III", "IV", "V", "VI")
PHOTOTYPE_CHOICES = [(n, f"Fitzpatrick {roman}") for n, roman in enumerate(PHOTOTYPES, start=1)]


class Client(models.Model):
    """A client (patient) of the clinic. Reads and writes of a record are audit-logged."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="client"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, help_text=_("stored in E.164, e.g. +79123456789"))
    email = models.EmailField(_("email"), blank=True)
    skin_phototype = models.PositiveSmallIntegerField(
        _("skin phototype"), choices=PHOTOTYPE_CHOICES, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)
