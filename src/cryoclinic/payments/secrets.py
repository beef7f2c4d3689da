"""The shops' secret keys are stored encrypted (Fernet, keyed from `SECRET_KEY`), so a copy of the database or a
backup does not give away a clinic's payments. Keys sealed under an old `SECRET_KEY` still open while it is in
`SECRET_KEY_FALLBACKS`; past that the clinic enters its key again."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

_PURPOSE = "cryoclinic.payments.shop-secret"


class SecretUnreadable(ValueError):
    """The stored key was sealed under a `SECRET_KEY` no longer configured."""


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(salted_hmac(_PURPOSE, "", secret=key, algorithm="sha256").digest()))
        for key in keys
    ])


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("The shop's secret key cannot be read: enter it again on the deposits page.") from exc
