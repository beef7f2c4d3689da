"""Putting messages in the outbox and delivering the due ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from .models import Channel, OutboxMessage
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
) -> tuple[OutboxMessage, bool]:
    """Add a message unless one with this key exists; returns (message, created)."""
    return OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "channel": channel,
            "recipient": recipient,
            "body": body,
            "subject": subject,
            "language": language,
            "client_id": client_id,
            "due_at": due_at,
        },
    )


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int


def deliver_due(now: dt.datetime, *, max_attempts: int = 5) -> DeliveryReport:
    """Send every unsent message that is due; a failure is recorded on the message and retried next run."""
    sent = failed = 0
    due = OutboxMessage.objects.filter(sent_at__isnull=True, due_at__lte=now, attempts__lt=max_attempts)
    for message_id in list(due.values_list("id", flat=True)):
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(id=message_id)
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


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.recipient]
        ).send(fail_silently=False)
    else:
        get_backend().send(message.recipient, message.body)
