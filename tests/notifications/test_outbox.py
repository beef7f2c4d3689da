"""The outbox: idempotent filling, delivery of due messages, honest failure without an SMS gateway."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command

from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.notifications.services import deliver_due, enqueue

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _enqueue(key: str = "session-reminder:1:email", channel: str = "email", due_at: dt.datetime = NOW, **kw):
    recipient = "client@example.org" if channel == "email" else "+79123456789"
    return enqueue(
        key=key, kind="session_reminder", channel=channel, recipient=recipient,
        subject="Reminder", body="Your session is tomorrow at 10:00.", due_at=due_at, **kw,
    )


def test_enqueueing_the_same_key_twice_adds_one_message():
    first, created_first = _enqueue()
    second, created_second = _enqueue()
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_due_email_is_sent_once_and_marked_sent(mailoutbox):
    _enqueue()
    assert deliver_due(NOW).sent == 1
    assert deliver_due(NOW).sent == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["client@example.org"]
    assert mailoutbox[0].body == "Your session is tomorrow at 10:00."
    assert OutboxMessage.objects.get().sent_at == NOW


def test_a_message_not_yet_due_waits(mailoutbox):
    _enqueue(due_at=NOW + dt.timedelta(minutes=1))
    assert deliver_due(NOW).sent == 0
    assert mailoutbox == []
    assert OutboxMessage.objects.get().sent_at is None


def test_sms_without_a_gateway_stays_unsent_with_the_reason():
    _enqueue(key="session-reminder:1:sms", channel="sms")
    report = deliver_due(NOW)
    message = OutboxMessage.objects.get()
    assert (report.sent, report.failed) == (0, 1)
    assert message.sent_at is None
    assert message.attempts == 1
    assert "No SMS gateway is configured" in message.last_error


class _Gateway(BaseHTTPRequestHandler):
    requests: list[dict[str, list[str]]] = []
    answer_status = "OK"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        type(self).requests.append(query)
        phone = query["to"][0]
        ok = type(self).answer_status == "OK"
        refused = {"status": "ERROR", "status_text": "bad number"}
        body = {"status": "OK", "sms": {phone: {"status": "OK", "sms_id": "0001-1"} if ok else refused}}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def gateway(settings) -> Iterator[type[_Gateway]]:
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.requests = []
    _Gateway.answer_status = "OK"
    settings.SMS_BACKEND = "cryoclinic.notifications.sms.SmsRuBackend"
    settings.SMS_RU_API_ID = "test-key"
    settings.SMS_RU_URL = f"http://127.0.0.1:{server.server_port}/sms/send"
    yield _Gateway
    server.shutdown()


def test_sms_goes_to_the_configured_gateway_with_the_number_and_text(gateway):
    _enqueue(key="session-reminder:1:sms", channel="sms")
    assert deliver_due(NOW).sent == 1
    (query,) = gateway.requests
    assert query["to"] == ["79123456789"]
    assert query["msg"] == ["Your session is tomorrow at 10:00."]
    assert query["api_id"] == ["test-key"]


def test_a_refused_sms_keeps_the_gateways_reason_and_is_retried_later(gateway):
    gateway.answer_status = "ERROR"
    _enqueue(key="session-reminder:1:sms", channel="sms")
    assert deliver_due(NOW).failed == 1
    message = OutboxMessage.objects.get()
    assert "bad number" in message.last_error and message.sent_at is None
    gateway.answer_status = "OK"
    assert deliver_due(NOW).sent == 1


def test_send_outbox_command_reports_what_it_did(mailoutbox, capsys):
    _enqueue(due_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    call_command("send_outbox")
    assert "sent 1, failed 0" in capsys.readouterr().out
    assert len(mailoutbox) == 1
