"""Deposits: the clinic's settings, taking a course's deposit, YooKassa's notifications, refunds.

Guarantees:
- Nothing is marked paid on anyone's word but YooKassa's API: a notification only says "look", and the payment
  is then fetched by its id with the clinic's own shop (`GET /v3/payments/{id}`) and compared with our deposit
  (id, amount, currency, the deposit it was made for). A notification whose claim differs is refused (422,
  naming the field) and changes nothing.
- Each notification is processed once, however often it comes and however many come at once: the deposit's row
  is locked, and a `Notification` row per (object, event) is unique in the database.
- A clinic without a shop takes no online deposit; every request to YooKassa carries an idempotence key stored
  before the call, so a retry after a lost answer makes no second payment or refund.
- A course cancelled at least the clinic's notice before its sessions gets its paid deposit back
  (`receivers.py` listens to the booking's signals).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic.clinics.models import Clinic
from cryoclinic.directory.models import ClinicPrice
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Appointment, Course

from . import gateway, secrets
from .models import Deposit, DepositPolicy, Notification, Shop

PAYMENT_EVENTS = {"payment.succeeded": "succeeded", "payment.canceled": "canceled",
                  "payment.waiting_for_capture": "waiting_for_capture"}
REFUND_EVENTS = {"refund.succeeded": "succeeded"}
MAX_NOTICE_HOURS = 720
# 54-FZ tag 1212, "предмет расчёта": a service (YooKassa's `payment_subject` values).
PAYMENT_SUBJECT = "service"


class PaymentsError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotificationRejected(PaymentsError):
    """A notification that does not match what YooKassa's API says: forged, or about another booking."""


def shop_of(clinic: Clinic) -> Shop | None:
    return Shop.objects.filter(clinic=clinic).first()


def save_shop(clinic: Clinic, *, shop_id: str, secret_key: str, vat_code: int) -> Shop:
    """Set the clinic's shop. An empty secret key keeps the stored one (it is never shown back to be re-typed)."""
    shop_id, secret_key = shop_id.strip(), secret_key.strip()
    if not shop_id.isdigit() or len(shop_id) > 32:
        raise PaymentsError("shop_id", _("The shop id is the number YooKassa gives the shop (digits only)."))
    if not 1 <= vat_code <= 10:
        raise PaymentsError("vat_code", _("The VAT code is one of YooKassa's codes, 1 to 10."))
    shop = shop_of(clinic)
    if not secret_key and shop is None:
        raise PaymentsError("secret_key", _("Give the shop's secret key."))
    if secret_key and (len(secret_key) < 8 or len(secret_key) > 200 or any(c.isspace() for c in secret_key)):
        raise PaymentsError("secret_key", _("The secret key is 8 to 200 characters without spaces."))
    shop = shop or Shop(clinic=clinic)
    shop.shop_id, shop.vat_code = shop_id, vat_code
    if secret_key:
        shop.secret_key = secrets.seal(secret_key)
    shop.save()
    return shop


def remove_shop(clinic: Clinic) -> None:
    Shop.objects.filter(clinic=clinic).delete()


def set_notice_hours(clinic: Clinic, hours: int) -> None:
    if not 0 <= hours <= MAX_NOTICE_HOURS:
        raise PaymentsError("cancel_notice_hours", _("The notice is 0 to %(max)d hours.") % {"max": MAX_NOTICE_HOURS})
    Clinic.objects.filter(pk=clinic.pk).update(cancel_notice_hours=hours)
    clinic.cancel_notice_hours = hours


def set_policy(procedure: str, *, kind: str, amount_rub: int | None, share_percent: int | None) -> DepositPolicy:
    if procedure not in knowledge.procedure_slugs():
        raise PaymentsError("procedure", _("Unknown procedure %(slug)s.") % {"slug": procedure})
    if kind == DepositPolicy.Kind.AMOUNT:
        if not amount_rub or amount_rub <= 0:
            raise PaymentsError("amount_rub", _("Give the deposit in whole roubles, more than 0."))
        share_percent = None
    elif kind == DepositPolicy.Kind.SHARE:
        if not share_percent or not 1 <= share_percent <= 100:
            raise PaymentsError("share_percent", _("Give the share as a whole percent, 1 to 100."))
        amount_rub = None
    else:
        raise PaymentsError("kind", _("The deposit is an amount or a share of the price."))
    policy, _created = DepositPolicy.objects.update_or_create(
        procedure=procedure, defaults={"kind": kind, "amount_rub": amount_rub, "share_percent": share_percent}
    )
    return policy


def remove_policy(procedure: str) -> None:
    DepositPolicy.objects.filter(procedure=procedure).delete()


def course_price_rub(course: Course) -> int | None:
    """The course's price: its sessions' prices as snapshotted at booking, else the price list's for each."""
    sessions = course.appointments.exclude(status=Appointment.Status.CANCELLED)
    count = sessions.count()
    if count and not sessions.filter(price_rub__isnull=True).exists():
        return int(sessions.aggregate(total=Sum("price_rub"))["total"])
    listed = ClinicPrice.objects.filter(procedure=course.procedure).values_list("amount_rub", flat=True).first()
    return listed * count if listed and count else None


@dataclass(frozen=True)
class Due:
    """What the course's deposit page shows: the amount due, or why none can be paid online."""

    amount_rub: int | None
    reason: str  # why no online deposit, when amount_rub is None
    paid: Deposit | None  # the deposit already paid (or being refunded), if any


def deposit_due(course: Course) -> Due:
    paid = Deposit.objects.filter(course=course, status__in=["succeeded", "refund_pending", "refunded"]).first()
    if paid is not None:
        return Due(None, _("The deposit is paid."), paid)
    if shop_of(course.clinic) is None:
        return Due(None, _("This clinic takes no online deposit: nothing is to be paid online."), None)
    policy = DepositPolicy.objects.filter(procedure=course.procedure).first()
    if policy is None:
        return Due(None, _("The clinic asks no deposit for this procedure."), None)
    if course.status in (Course.Status.CANCELLED, Course.Status.COMPLETED):
        return Due(None, _("The course is closed: no deposit is due."), None)
    if policy.kind == DepositPolicy.Kind.AMOUNT:
        return Due(policy.amount_rub, "", None)
    price = course_price_rub(course)
    if price is None:
        return Due(None, _("The course has no price yet: the clinic will tell you the deposit."), None)
    return Due(max(1, price * (policy.share_percent or 0) // 100), "", None)


def _receipt(course: Course, shop: Shop, amount_rub: int) -> dict[str, Any]:
    """The 54-FZ receipt: the customer's contact (tag 1008) and one item, the deposit for the course."""
    client = course.client
    customer: dict[str, str] = {"full_name": client.full_name[:256]}
    if client.email:
        customer["email"] = client.email
    else:
        customer["phone"] = client.phone.lstrip("+")
    name = knowledge.get_procedure(course.procedure).name.ru
    price = course_price_rub(course)
    return {
        "customer": customer,
        "items": [{
            "description": f"Предоплата: {name}, курс №{course.pk}"[:128],
            "quantity": "1.00",
            "amount": {"value": f"{amount_rub}.00", "currency": "RUB"},
            "vat_code": shop.vat_code,
            # 54-FZ tag 1214: a part paid ahead for a known service is a partial prepayment; all of it, a full one.
            "payment_mode": "full_prepayment" if price is not None and amount_rub >= price else "partial_prepayment",
            "payment_subject": PAYMENT_SUBJECT,
        }],
    }


def start_payment(course: Course, *, by: Any, return_url: str) -> Deposit:
    """The open deposit of the course with its YooKassa payment, created (once) if need be."""
    due = deposit_due(course)
    if due.amount_rub is None:
        raise PaymentsError("deposit", due.reason)
    shop = shop_of(course.clinic)
    assert shop is not None
    with transaction.atomic():
        Course.objects.select_for_update().filter(pk=course.pk).first()
        deposit = Deposit.objects.filter(course=course, status=Deposit.Status.PENDING).first()
        if deposit is None:
            deposit = Deposit.objects.create(course=course, amount_rub=due.amount_rub, created_by=by)
    if deposit.confirmation_url:
        return deposit
    body = {
        "amount": {"value": f"{deposit.amount_rub}.00", "currency": "RUB"},
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": return_url},
        "description": f"Deposit for course #{course.pk}"[:128],
        "metadata": {"deposit": str(deposit.pk), "course": str(course.pk)},
        "receipt": _receipt(course, shop, deposit.amount_rub),
    }
    payment = gateway.create_payment(shop, body, deposit.idempotence_key)
    deposit.payment_id = str(payment.get("id", ""))
    deposit.confirmation_url = str((payment.get("confirmation") or {}).get("confirmation_url", ""))
    deposit.save(update_fields=["payment_id", "confirmation_url"])
    return deposit


def _amount_rub(amount: Any) -> Decimal | None:
    try:
        if amount.get("currency") != "RUB":
            return None
        return Decimal(str(amount.get("value")))
    except (AttributeError, InvalidOperation):
        return None


def _mismatch(deposit: Deposit, shop: Shop, payment: dict[str, Any]) -> str | None:
    """Which field of the payment YooKassa holds does not belong to this deposit, if any."""
    if payment.get("id") != deposit.payment_id:
        return "object.id"
    if str((payment.get("metadata") or {}).get("deposit")) != str(deposit.pk):
        return "object.metadata.deposit"
    if _amount_rub(payment.get("amount")) != Decimal(deposit.amount_rub):
        return "object.amount"
    account = (payment.get("recipient") or {}).get("account_id")
    if account is not None and str(account) != shop.shop_id:
        return "object.recipient.account_id"
    return None


def apply_payment(deposit: Deposit, payment: dict[str, Any], *, event: str = "", object_id: str = "") -> str:
    """Move the deposit to what the fetched `payment` says. With an event, at most once per (object, event):
    "processed", "duplicate" (seen before) or "unchanged"."""
    with transaction.atomic():
        locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if event and not _first_time(locked, event, object_id):
            return "duplicate"
        status = payment.get("status")
        if status == "succeeded" and payment.get("paid") is True and locked.status == Deposit.Status.PENDING:
            locked.status, locked.paid_at, locked.last_error = Deposit.Status.SUCCEEDED, timezone.now(), ""
        elif status == "canceled" and locked.status == Deposit.Status.PENDING:
            locked.status = Deposit.Status.CANCELED
        else:
            return "unchanged"
        locked.save(update_fields=["status", "paid_at", "last_error"])
        if locked.status == Deposit.Status.SUCCEEDED and locked.course.status == Course.Status.CANCELLED:
            refund_course_deposit(locked.course)  # paid after the course was cancelled: nothing left to hold
    deposit.refresh_from_db()
    return "processed"


def _first_time(deposit: Deposit, event: str, object_id: str) -> bool:
    """Record the notification as processed; False when it was (the database's unique row decides)."""
    try:
        with transaction.atomic():
            Notification.objects.create(event=event, object_id=object_id, deposit=deposit)
    except IntegrityError:
        return False
    return True


def refresh(deposit: Deposit) -> Deposit:
    """Ask YooKassa about the deposit's payment (the return page does, not waiting for the notification)."""
    shop = shop_of(deposit.clinic)
    if shop is None or not deposit.payment_id or deposit.status != Deposit.Status.PENDING:
        return deposit
    payment = gateway.find_payment(shop, deposit.payment_id)
    if _mismatch(deposit, shop, payment) is None:
        apply_payment(deposit, payment)
    return deposit


def _field(body: dict[str, Any], *path: str) -> Any:
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def process_notification(clinic: Clinic, body: Any) -> str:
    """Verify and process one notification to the clinic's webhook (see the module's guarantees)."""
    if not isinstance(body, dict) or body.get("type") != "notification":
        raise NotificationRejected("type", "Not a YooKassa notification: type must be \"notification\".")
    event = body.get("event")
    object_id = _field(body, "object", "id")
    if event not in PAYMENT_EVENTS and event not in REFUND_EVENTS:
        raise NotificationRejected("event", f"Unknown event {event!r}.")
    if not isinstance(object_id, str) or not object_id or len(object_id) > 64:
        raise NotificationRejected("object.id", "The notification names no object id.")
    shop = shop_of(clinic)
    if shop is None:
        raise NotificationRejected("object.id", "This clinic has no YooKassa shop.")
    if event in REFUND_EVENTS:
        return _process_refund_notification(shop, event, object_id)
    deposit = Deposit.objects.filter(payment_id=object_id).first()
    if deposit is None:
        raise NotificationRejected("object.id", f"No deposit of this clinic has the payment {object_id}.")
    payment = gateway.find_payment(shop, object_id)
    wrong = _mismatch(deposit, shop, payment) or _claim_differs(body["object"], payment, event)
    if wrong:
        raise NotificationRejected(wrong, f"The notification's {wrong} differs from what YooKassa holds.")
    return apply_payment(deposit, payment, event=event, object_id=object_id)


def _claim_differs(claimed: dict[str, Any], payment: dict[str, Any], event: str) -> str | None:
    """The notification must say what the API says: the event's status, the amount, the deposit."""
    if payment.get("status") != PAYMENT_EVENTS[event]:
        return "event"
    if "amount" in claimed and _amount_rub(claimed["amount"]) != _amount_rub(payment.get("amount")):
        return "object.amount"
    said = (claimed.get("metadata") or {}).get("deposit") if isinstance(claimed.get("metadata"), dict) else None
    if "metadata" in claimed and str(said) != str((payment.get("metadata") or {}).get("deposit")):
        return "object.metadata.deposit"
    return None


def _process_refund_notification(shop: Shop, event: str, refund_id: str) -> str:
    deposit = Deposit.objects.filter(refund_id=refund_id).first()
    if deposit is None:
        raise NotificationRejected("object.id", f"No deposit of this clinic has the refund {refund_id}.")
    refund = gateway.find_refund(shop, refund_id)
    if refund.get("payment_id") != deposit.payment_id or refund.get("status") != REFUND_EVENTS[event]:
        raise NotificationRejected("object.id", "The refund YooKassa holds differs from the notification.")
    with transaction.atomic():
        locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if not _first_time(locked, event, refund_id):
            return "duplicate"
        return "processed" if _mark_refunded(locked, refund) else "unchanged"


def _mark_refunded(deposit: Deposit, refund: dict[str, Any]) -> bool:
    if refund.get("status") != "succeeded" or deposit.status != Deposit.Status.REFUND_PENDING:
        return False
    deposit.status, deposit.refunded_at, deposit.last_error = Deposit.Status.REFUNDED, timezone.now(), ""
    deposit.refund_id = str(refund.get("id", ""))
    deposit.save(update_fields=["status", "refunded_at", "last_error", "refund_id"])
    return True


def refund_course_deposit(course: Course) -> Deposit | None:
    """Mark the course's paid deposit for refund and send the refund once the cancellation is committed."""
    with transaction.atomic():
        deposit = (
            Deposit.objects.select_for_update().filter(course=course, status=Deposit.Status.SUCCEEDED).first()
        )
        if deposit is None:
            return None
        deposit.status, deposit.refund_idempotence_key = Deposit.Status.REFUND_PENDING, uuid.uuid4()
        deposit.save(update_fields=["status", "refund_idempotence_key"])
        transaction.on_commit(lambda: send_refund(deposit))
    return deposit


def send_refund(deposit: Deposit) -> Deposit:
    """POST /v3/refunds with the key stored before: sent again (staff retry) it makes no second refund."""
    shop = shop_of(deposit.clinic)
    if deposit.status != Deposit.Status.REFUND_PENDING or deposit.refund_idempotence_key is None:
        return deposit
    if shop is None:
        Deposit.objects.filter(pk=deposit.pk).update(last_error="The clinic's YooKassa shop was removed.")
        return deposit
    body = {
        "payment_id": deposit.payment_id,
        "amount": {"value": f"{deposit.amount_rub}.00", "currency": "RUB"},
        "description": f"Deposit refund, course #{deposit.course_id}"[:250],
        "receipt": _receipt(deposit.course, shop, deposit.amount_rub),
    }
    try:
        refund = gateway.create_refund(shop, body, deposit.refund_idempotence_key)
    except gateway.GatewayError as exc:
        Deposit.objects.filter(pk=deposit.pk).update(last_error=str(exc)[:300])
        return deposit
    with transaction.atomic():
        locked = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if not _mark_refunded(locked, refund):
            locked.refund_id = str(refund.get("id", ""))
            locked.save(update_fields=["refund_id"])
    deposit.refresh_from_db()
    return deposit
