"""Deposits against no-shows: the clinic's YooKassa shop, its deposit per procedure, each deposit taken, and the
notifications processed (one row each: a retried or duplicated notification is processed once)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import Clinic, ClinicOwned
from cryoclinic.directory.models import validate_procedure


class Shop(ClinicOwned):
    """The clinic's YooKassa shop. The secret key is write-only (no page or API shows it back) and stored sealed
    (`secrets.py`)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+", editable=False)
    shop_id = models.CharField(_("shop id"), max_length=32)
    secret_key = models.CharField(_("secret key"), max_length=500, help_text=_("stored encrypted"))
    # 54-FZ tag 1199 as YooKassa codes it: 1 no VAT, 2 0 %, 3 10 %, 4 20 %, 5 10/110, 6 20/120, 7-10 5 %/7 % rates.
    vat_code = models.PositiveSmallIntegerField(
        _("VAT code"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic"], name="payments_shop_one_per_clinic"),
            models.CheckConstraint(condition=Q(vat_code__gte=1) & Q(vat_code__lte=10), name="payments_vat_code_known"),
        ]

    def __str__(self) -> str:
        return f"YooKassa shop {self.shop_id}"


class DepositPolicy(ClinicOwned):
    """What the clinic asks in advance for a course of a procedure: an amount, or a share of the course's price."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", _("an amount in roubles")
        SHARE = "share", _("a share of the course's price")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+", editable=False)
    procedure = models.SlugField(_("procedure"), validators=[validate_procedure])
    kind = models.CharField(_("deposit"), max_length=10, choices=Kind.choices)
    amount_rub = models.PositiveIntegerField(_("amount, roubles"), null=True, blank=True)
    share_percent = models.PositiveSmallIntegerField(
        _("share, %"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["procedure"]
        verbose_name_plural = "deposit policies"
        constraints = [
            models.UniqueConstraint(fields=["clinic", "procedure"], name="payments_policy_one_per_procedure"),
            models.CheckConstraint(
                condition=(Q(kind="amount", amount_rub__gt=0, share_percent__isnull=True))
                | (Q(kind="share", share_percent__gte=1, share_percent__lte=100, amount_rub__isnull=True)),
                name="payments_policy_amount_or_share",
            ),
        ]

    def __str__(self) -> str:
        deposit = f"{self.amount_rub} ₽" if self.kind == "amount" else f"{self.share_percent} %"
        return f"{self.procedure}: {deposit}"


class Deposit(ClinicOwned):
    """One attempt to take a course's deposit through YooKassa. Its status changes only on what the API itself
    says about the payment (`services.apply_payment`), never on a notification's word alone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting payment")
        SUCCEEDED = "succeeded", _("paid")
        CANCELED = "canceled", _("not paid")
        REFUND_PENDING = "refund_pending", _("refund under way")
        REFUNDED = "refunded", _("refunded")

    OPEN = ("pending", "succeeded", "refund_pending")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+", editable=False)
    course = models.ForeignKey("scheduling.Course", on_delete=models.PROTECT, related_name="deposits")
    amount_rub = models.PositiveIntegerField(_("deposit, roubles"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    idempotence_key = models.UUIDField(default=uuid.uuid4, editable=False)
    payment_id = models.CharField(max_length=64, blank=True, help_text=_("YooKassa's id of the payment"))
    confirmation_url = models.URLField(max_length=2000, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refund_idempotence_key = models.UUIDField(null=True, blank=True, editable=False)
    refund_id = models.CharField(max_length=64, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "course"], condition=Q(status__in=["pending", "succeeded", "refund_pending"]),
                name="payments_deposit_one_open_per_course",
            ),
            models.UniqueConstraint(
                fields=["clinic", "payment_id"], condition=~Q(payment_id=""), name="payments_deposit_payment_once"
            ),
            models.UniqueConstraint(fields=["clinic", "idempotence_key"], name="payments_deposit_key_once"),
            models.CheckConstraint(condition=Q(amount_rub__gt=0), name="payments_deposit_positive"),
        ]

    def __str__(self) -> str:
        return f"deposit #{self.pk} {self.amount_rub} ₽ {self.status}"


class Notification(ClinicOwned):
    """A notification processed: one row per object and event, so a retry or a duplicate finds it and stops."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+", editable=False)
    event = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="notifications")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "object_id", "event"], name="payments_notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.object_id}"
