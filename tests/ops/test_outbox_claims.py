"""Delivery claims a message before sending it: a message another run holds is left alone until its claim ends."""

from __future__ import annotations

import datetime as dt

import pytest

from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.notifications.services import deliver_due, enqueue

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def message(key: str = "session-reminder:1:email") -> OutboxMessage:
    return enqueue(key=key, kind="session_reminder", channel="email", recipient="client@example.org",
                   subject="Reminder", body="Your session is tomorrow at 10:00.", due_at=NOW)[0]


def test_a_message_claimed_by_another_run_is_not_sent_until_the_claim_runs_out(mailoutbox, settings):
    settings.OUTBOX_CLAIM_S = 300
    held = message()
    until = NOW + dt.timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=held.pk).update(claimed_by="another-run", claimed_until=until, attempts=1)
    assert deliver_due(NOW).sent == 0
    assert deliver_due(NOW + dt.timedelta(minutes=4)).sent == 0
    assert mailoutbox == []
    assert deliver_due(NOW + dt.timedelta(minutes=5)).sent == 1  # the other run died: its claim ran out
    held.refresh_from_db()
    assert len(mailoutbox) == 1
    assert (held.attempts, held.claimed_by, held.claimed_until) == (2, "", None)


def test_a_failed_send_gives_its_claim_back_so_the_next_run_retries():
    failing = enqueue(key="session-reminder:1:sms", kind="session_reminder", channel="sms", recipient="+79123456789",
                      body="Your session is tomorrow at 10:00.", due_at=NOW)[0]
    assert deliver_due(NOW).failed == 1
    failing.refresh_from_db()
    assert (failing.claimed_by, failing.claimed_until, failing.attempts) == ("", None, 1)
    assert deliver_due(NOW).failed == 1  # retried at once, not held by a stale claim


def test_a_message_that_keeps_killing_its_worker_stops_after_max_attempts(mailoutbox):
    held = message()
    OutboxMessage.objects.filter(pk=held.pk).update(claimed_by="dead", claimed_until=NOW, attempts=5)
    assert deliver_due(NOW + dt.timedelta(hours=1)).sent == 0
    assert mailoutbox == []
