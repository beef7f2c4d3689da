"""Putting messages in the outbox and delivering the due ones.

Delivery may run in many workers on many machines at once; each message is sent by one of them:
- a run claims a message with one conditional UPDATE (unsent, due, and unclaimed or its claim run out):
  the database lets exactly one run win it, on SQLite and PostgreSQL alike;
- it sends outside any transaction (no lock is held while a mail server or SMS gateway answers), then
  records `sent_at`, or the error and gives the claim back so the next run retries;
- a run that dies mid-send leaves its claim to run out (`OUTBOX_CLAIM_S`, longer than any send may take):
  the next run takes the message over. The attempt counts, so a message that keeps killing its worker
  stops after `max_attempts`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q, QuerySet

from cryoclinic.clinics.state import current_clinic_id

from .models import Channel, Message, OutboxMessage, PlatformMessage
from .sms import SmsError, get_backend

logger = logging.getLogger(__name__)


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
    """Claim each due message of `model` (so no other run takes it), send it, then record the outcome."""
    sent = failed = 0
    rows = model.objects  # type: ignore[attr-defined]
    run = uuid.uuid4().hex
    claim_until = now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_S)
    for message_id in list(_claimable(model, now, max_attempts).values_list("pk", flat=True)):
        claimed = _claimable(model, now, max_attempts).filter(pk=message_id).update(
            claimed_by=run, claimed_until=claim_until, attempts=F("attempts") + 1
        )
        if not claimed:  # another run took it, or sent it, since the list was read
            continue
        message = rows.get(pk=message_id)
        try:
            _send(message)
        except (SmsError, OSError) as exc:
            rows.filter(pk=message_id, claimed_by=run).update(
                last_error=str(exc)[:500], claimed_by="", claimed_until=None
            )
            failed += 1
        else:
            recorded = rows.filter(pk=message_id, sent_at__isnull=True).update(
                sent_at=now, last_error="", claimed_by="", claimed_until=None
            )
            if not recorded:
                logger.warning("%s %s was sent again after its claim ran out", model.__name__, message_id)
            sent += 1
    return DeliveryReport(sent=sent, failed=failed)


def _claimable(model: type[Message], now: dt.datetime, max_attempts: int) -> QuerySet[Message]:
    return model.objects.filter(  # type: ignore[attr-defined,no-any-return]
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
        sent_at__isnull=True,
        due_at__lte=now,
        attempts__lt=max_attempts,
    )


def _send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.recipient]
        ).send(fail_silently=False)
    else:
        get_backend().send(message.recipient, message.body)
