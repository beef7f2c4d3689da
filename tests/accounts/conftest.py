"""An SMS gateway on this machine that speaks SMS.ru's documented API: the codes really go out through
notifications/sms.py, and the test reads them where a phone would."""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


class SmsGateway(BaseHTTPRequestHandler):
    texts: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        phone = query["to"][0]
        type(self).texts.append(("+" + phone, query["msg"][0]))
        payload = json.dumps({"status": "OK", "sms": {phone: {"status": "OK", "sms_id": "1"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return

    @classmethod
    def last_code(cls, phone: str) -> str:
        text = next(text for to, text in reversed(cls.texts) if to == phone)
        found = re.search(r"\b(\d{6})\b", text)
        assert found, text
        return found.group(1)


@pytest.fixture
def sms(settings) -> Iterator[type[SmsGateway]]:
    server = HTTPServer(("127.0.0.1", 0), SmsGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SmsGateway.texts = []
    settings.SMS_BACKEND = "cryoclinic.notifications.sms.SmsRuBackend"
    settings.SMS_RU_API_ID = "test-key"
    settings.SMS_RU_URL = f"http://127.0.0.1:{server.server_port}/sms/send"
    yield SmsGateway
    server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts attempts in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
