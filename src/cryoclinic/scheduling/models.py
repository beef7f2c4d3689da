"""Clinic resources: the clinic with its hours, rooms and practitioners."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not an IANA time zone (e.g. Europe/Moscow)."), params={"value": value})


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    address = models.CharField(max_length=300)
    phone = models.CharField(max_length=20)
    time_zone = models.CharField(max_length=64, default="Europe/Moscow", validators=[validate_time_zone])

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["clinic", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_hours_opens_before_closes"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Room(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Practitioner(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="practitioners")
    display_name = models.CharField(max_length=200)
    title = models.CharField(max_length=100, blank=True, help_text=_("e.g. cosmetologist, dermatologist"))
    procedures = models.JSONField(default=list, help_text=_("slugs of the procedures this person may perform"))

    def __str__(self) -> str:
        return self.display_name
