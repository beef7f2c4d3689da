"""The tenant: a clinic, the people who work in it (memberships), and the base of every record a clinic owns.

A record a clinic owns carries its `clinic` and is read through `ScopedManager(clinic=...)` (django-scopes):
outside a clinic's scope a query raises `ScopeError` instead of reading every clinic's rows, and inside it
another clinic's row is simply not there (a 404). On PostgreSQL row-level security backs this up (`rls.py`).
"""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .state import current_clinic_id


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not an IANA time zone (e.g. Europe/Moscow)."), params={"value": value})


class Clinic(models.Model):
    """One business on the platform. New clinics wait for a platform admin's approval before they go live."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")

    slug = models.SlugField(unique=True, help_text=_("the clinic's short name in links, e.g. snezhinka"))
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    address = models.CharField(max_length=300)
    phone = models.CharField(max_length=20)
    email = models.EmailField(blank=True, help_text=_("where the clinic's alerts go (stock, follow-up tasks)"))
    time_zone = models.CharField(max_length=64, default="Europe/Moscow", validators=[validate_time_zone])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    cancel_notice_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_(
            "the clinic's own policy: clients may cancel or move a session online up to this many hours before it"
        ),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "active", "suspended"]), name="clinic_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CrossClinicReference(ValueError):
    """A record would point at another clinic's record, or be written into another clinic than the current one."""


class NoClinicScope(RuntimeError):
    """A clinic-owned record was created with no clinic given and no clinic active."""


class ClinicOwnedQuerySet(models.QuerySet):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        """Rows without a clinic take the active one; a row of another clinic is refused, as in `save`."""
        objs = list(objs)
        active = current_clinic_id()
        for obj in objs:
            if obj.clinic_id is None:
                if active is None:
                    raise NoClinicScope(f"{self.model._meta.label} rows need a clinic: create them inside a scope.")
                obj.clinic_id = active
            elif active is not None and obj.clinic_id != active:
                raise CrossClinicReference(f"{self.model._meta.label} of clinic #{obj.clinic_id} while #{active}.")
        _check_same_clinic_in_bulk(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)


def _check_same_clinic_in_bulk(model: type[models.Model], objs: list[Any]) -> None:
    """`ClinicOwned.check_same_clinic` for many rows: one read per foreign key whose targets are not at hand."""
    for field in model._meta.concrete_fields:
        target = field.related_model
        if not field.many_to_one or field.name == "clinic":
            continue
        if not (isinstance(target, type) and issubclass(target, ClinicOwned)):
            continue
        wanted: dict[int, set[object]] = {}  # the row's clinic -> the target ids to check
        for obj in objs:
            target_id = getattr(obj, field.attname)
            cached = field.get_cached_value(obj, default=None)  # type: ignore[attr-defined]
            at_hand = cached is not None and cached.pk == target_id and cached.clinic_id == obj.clinic_id
            if target_id is None or at_hand:
                continue
            wanted.setdefault(obj.clinic_id, set()).add(target_id)
        for clinic_id, ids in wanted.items():
            if target._base_manager.filter(pk__in=ids).exclude(clinic_id=clinic_id).exists():
                raise CrossClinicReference(f"{model._meta.label}.{field.name} points at a record of another clinic.")


ClinicOwnedBaseManager = models.Manager.from_queryset(ClinicOwnedQuerySet)

if TYPE_CHECKING:
    _Scoped = ClinicOwnedBaseManager
else:  # django-scopes builds its manager class at run time; the class below gives it a name
    _Scoped = type(ScopedManager(ClinicOwnedBaseManager, clinic="clinic"))


class ClinicOwnedManager(_Scoped):  # type: ignore[misc,valid-type]
    """Reads only inside a clinic's scope, and only that clinic's rows (django-scopes' `ScopedManager`)."""


class ClinicOwned(models.Model):
    """Base of every record a clinic owns: its clinic, a scoped manager, and writes that stay inside the clinic.

    `save` takes the clinic from the active scope when none is given, refuses a record of another clinic than
    the active one, and refuses a foreign key to another clinic's record (PostgreSQL refuses it too: every
    foreign key between clinic-owned tables also runs over `(clinic_id, id)`, see `rls.py`).
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", editable=False)

    objects = ClinicOwnedManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        active = current_clinic_id()
        if self.clinic_id is None:
            if active is None:
                raise NoClinicScope(
                    f"{self._meta.label} belongs to a clinic: create it inside a clinic's scope or give its clinic."
                )
            self.clinic_id = active
        elif active is not None and self.clinic_id != active:
            raise CrossClinicReference(
                f"{self._meta.label} of clinic #{self.clinic_id} cannot be written while clinic #{active} is active."
            )
        self.check_same_clinic()
        super().save(*args, **kwargs)

    def check_same_clinic(self) -> None:
        for field in self._meta.concrete_fields:
            if not (field.is_relation and field.many_to_one or field.one_to_one):
                continue
            target = field.related_model
            if not (isinstance(target, type) and issubclass(target, ClinicOwned)) or field.name == "clinic":
                continue
            target_id = getattr(self, field.attname)
            if target_id is None:
                continue
            cached = field.get_cached_value(self, default=None)  # type: ignore[attr-defined]
            if cached is not None and cached.pk == target_id:
                target_clinic = cached.clinic_id
            else:
                target_clinic = (
                    target._base_manager.filter(pk=target_id).values_list("clinic_id", flat=True).first()
                )
            if target_clinic is not None and target_clinic != self.clinic_id:
                raise CrossClinicReference(
                    f"{self._meta.label}.{field.name} points at a record of another clinic."
                )


def is_clinic_owned(model: type[models.Model]) -> bool:
    return issubclass(model, ClinicOwned)


class Membership(ClinicOwned):
    """A staff user's place in one clinic, with one role there. A person may work in several clinics."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("clinic admin")
        PRACTITIONER = "practitioner", _("practitioner")
        RECEPTION = "reception", _("reception")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships", editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clinic", "user"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "user"], name="membership_one_role_per_clinic"),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "practitioner", "reception"]), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.clinic_id}"
