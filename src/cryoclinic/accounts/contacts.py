"""A person's verified ways to be reached: where one-time codes (consent, sign-in) may be sent."""

from __future__ import annotations

from typing import Any


def verified_phone(user: Any) -> str | None:
    """The person's phone in E.164 once they proved it with an SMS code; None otherwise."""
    from .models import PhoneNumber

    if not getattr(user, "is_authenticated", False):
        return None
    row = PhoneNumber.objects.filter(user_id=user.pk, verified_at__isnull=False).first()
    return row.phone if row else None


def verified_email(user: Any) -> str | None:
    """The person's primary email once verified (django-allauth's EmailAddress); None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    from django.apps import apps

    if not apps.is_installed("allauth.account"):
        return None
    from allauth.account.models import EmailAddress

    row = EmailAddress.objects.filter(user_id=user.pk, verified=True).order_by("-primary").first()
    return row.email if row else None


def username_for(identifier: str) -> str:
    """What a person types to sign in: their username, or an email or phone they have proved; the username."""
    from django.core.exceptions import ValidationError

    from cryoclinic.clients.phones import normalize_phone

    from .models import PhoneNumber

    text = identifier.strip()
    if "@" in text:
        from allauth.account.models import EmailAddress

        row = EmailAddress.objects.filter(email__iexact=text, verified=True).select_related("user").first()
        return row.user.get_username() if row else identifier
    if text[:1] == "+" or text[:1].isdigit():
        try:
            phone = normalize_phone(text)
        except ValidationError:
            return identifier
        found = PhoneNumber.objects.filter(phone=phone, verified_at__isnull=False).select_related("user").first()
        return found.user.get_username() if found else identifier
    return identifier


def proved_none(user: Any) -> bool:
    """Signed up online (an email or a phone on file) without proving either: may not sign in yet."""
    from allauth.account.models import EmailAddress

    from .models import PhoneNumber

    emails = EmailAddress.objects.filter(user_id=user.pk)
    phones = PhoneNumber.objects.filter(user_id=user.pk)
    if not emails.exists() and not phones.exists():
        return False
    return not emails.filter(verified=True).exists() and not phones.filter(verified_at__isnull=False).exists()
