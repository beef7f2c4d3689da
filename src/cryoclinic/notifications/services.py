"""Putting messages in the outbox and delivering the due ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from cryoclinic.clinics.state import current_clinic_id

from .models import Channel, Message, OutboxMessage, PlatformMessage
from .sms import SmsError, get_backend


def enqueue(
    *,
    key: str,
    kind: str,
    channel: str,
    recipient: str,
    body: str,
    due_at: dt.datetime,
    subject: str = "",
    language: str = "ru",
    client_id: int | None = None,
) -> tuple[Message, bool]:
    """Add a message to the active clinic's outbox (the platform's, outside a clinic) unless one with this key is
    there; returns (message, created)."""
    in_clinic = current_clinic_id() is not None
    if client_id is not None and not in_clinic:
        raise ValueError("A message about a client belongs to the client's clinic: enqueue it inside its scope.")
    extra = {"client_id": client_id} if in_clinic else {}
    model: type[Message] = OutboxMessage if in_clinic else PlatformMessage
    return model.objects.get_or_create(  # type: ignore[attr-defined]
        key=key,
        defaults={
            **extra,
            "kind": kind,
            "channel": channel,
            "recipient": recipient,
            "body": body,
            "subject": subject,
            "language": language,
            "due_at": due_at,
        },
    )


def alert_recipient() -> str:
    """Where the active clinic's own alerts go: its email, else CLINIC_ALERT_EMAIL, else DEFAULT_FROM_EMAIL."""
    from cryoclinic.clinics.state import current_clinic

    clinic = current_clinic()
    return (clinic.email if clinic else "") or settings.CLINIC_ALERT_EMAIL or settings.DEFAULT_FROM_EMAIL


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int


def deliver_due(now: dt.datetime, *, max_attempts: int = 5) -> DeliveryReport:
    """Send every unsent message that is due, of every clinic and the platform (delivery is the platform's
    work); a failure is recorded on the message and retried next run."""
    from cryoclinic.clinics.state import platform

    sent = failed = 0
    with platform():
        for model in (OutboxMessage, PlatformMessage):
            report = _deliver(model, now, max_attempts)
            sent, failed = sent + report.sent, failed + report.failed
    return DeliveryReport(sent=sent, failed=failed)


def _deliver(model: type[Message], now: dt.datetime, max_attempts: int) -> DeliveryReport:
    sent = failed = 0
    due = model.objects.filter(sent_at__isnull=True, due_at__lte=now, attempts__lt=max_attempts)  # type: ignore[attr-defined]
    for message_id in list(due.values_list("id", flat=True)):
        with transaction.atomic():
            message = model.objects.select_for_update().get(id=message_id)  # type: ignore[attr-defined]
            if message.sent_at is not None:
                continue
            message.attempts += 1
            try:
                _send(message)
            except (SmsError, OSError) as exc:
                message.last_error = str(exc)[:500]
                failed += 1
            else:
                message.sent_at = now
                message.last_error = ""
                sent += 1
            message.save(update_fields=["attempts", "last_error", "sent_at"])
    return DeliveryReport(sent=sent, failed=failed)


def _send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.recipient]
        ).send(fail_silently=False)
    else:
        get_backend().send(message.recipient, message.body)
