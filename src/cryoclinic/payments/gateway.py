"""YooKassa through its official SDK (`yookassa`), with the clinic's own shop for each call.

The SDK keeps its credentials in class attributes (`Configuration`), one set per process: each call here sets
the clinic's shop and the API URL under a lock, so two clinics' calls never mix credentials. The API URL is
`settings.YOOKASSA_API_URL` (tests and development point it at `payments/fake_yookassa.py`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from django.conf import settings
from yookassa import Configuration, Payment, Refund
from yookassa.domain.exceptions import ApiError

from .models import Shop
from .secrets import SecretUnreadable, unseal

_lock = threading.Lock()


class GatewayError(RuntimeError):
    """YooKassa refused the call or could not be reached; the message says which."""


@contextmanager
def _as_shop(shop: Shop) -> Iterator[None]:
    try:
        secret_key = unseal(shop.secret_key)
    except SecretUnreadable as exc:
        raise GatewayError(str(exc)) from exc
    with _lock:
        Configuration.configure(
            shop.shop_id, secret_key, api_url=settings.YOOKASSA_API_URL,
            max_attempts=1,
        )
        try:
            yield
        except ApiError as exc:
            raise GatewayError(f"YooKassa refused the call: {exc}") from exc
        except requests.RequestException as exc:
            raise GatewayError(f"YooKassa could not be reached: {exc.__class__.__name__}") from exc
        except AttributeError as exc:  # the SDK reads `.response` of a connection error, which has none
            if not isinstance(exc.__context__, requests.RequestException):
                raise
            raise GatewayError(f"YooKassa could not be reached: {exc.__context__.__class__.__name__}") from exc
        finally:
            Configuration.configure(None, None)


def create_payment(shop: Shop, body: dict[str, Any], idempotence_key: uuid.UUID) -> dict[str, Any]:
    """POST /v3/payments; the same key and body give the same payment however often it is sent."""
    with _as_shop(shop):
        return dict(Payment.create(body, str(idempotence_key)))


def find_payment(shop: Shop, payment_id: str) -> dict[str, Any]:
    """GET /v3/payments/{id}: what YooKassa itself says about the payment."""
    with _as_shop(shop):
        return dict(Payment.find_one(payment_id))


def create_refund(shop: Shop, body: dict[str, Any], idempotence_key: uuid.UUID) -> dict[str, Any]:
    """POST /v3/refunds."""
    with _as_shop(shop):
        return dict(Refund.create(body, str(idempotence_key)))


def find_refund(shop: Shop, refund_id: str) -> dict[str, Any]:
    """GET /v3/refunds/{id}."""
    with _as_shop(shop):
        return dict(Refund.find_one(refund_id))
