"""SMS delivery behind one small interface; the backend is chosen by `settings.SMS_BACKEND`.

There is no pretend backend: without a configured gateway, SMS messages stay in the outbox with
the error saying so, and are delivered once a gateway is configured.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The message was not accepted; the text says why."""


class SmsBackend(Protocol):
    def send(self, phone_e164: str, text: str) -> str:
        """Send one message; return the gateway's message id or raise SmsError."""
        ...


class NotConfigured:
    """The default: refuses, so nothing is ever reported as sent that was not."""

    def send(self, phone_e164: str, text: str) -> str:
        raise SmsError("No SMS gateway is configured (set SMS_BACKEND and its credentials).")


class SmsRuBackend:
    """The SMS.ru HTTP API (https://sms.ru/api/send), a common gateway for +7 numbers.

    Configure `SMS_RU_API_ID`; `SMS_RU_URL` may point at another compatible endpoint.
    """

    def __init__(self) -> None:
        self.api_id = getattr(settings, "SMS_RU_API_ID", "")
        self.url = getattr(settings, "SMS_RU_URL", "https://sms.ru/sms/send")
        if not self.api_id:
            raise SmsError("SMS_RU_API_ID is not set.")

    def send(self, phone_e164: str, text: str) -> str:
        query = urllib.parse.urlencode({"api_id": self.api_id, "to": phone_e164.lstrip("+"), "msg": text, "json": 1})
        try:
            with urllib.request.urlopen(f"{self.url}?{query}", timeout=10) as response:
                answer = json.load(response)
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
            raise SmsError(f"SMS gateway unreachable or unreadable: {exc}") from exc
        sms = answer.get("sms", {}).get(phone_e164.lstrip("+"), {})
        if answer.get("status") != "OK" or sms.get("status") != "OK":
            raise SmsError(f"SMS gateway refused: {sms.get('status_text') or answer.get('status_text') or answer}")
        return str(sms.get("sms_id", ""))


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
