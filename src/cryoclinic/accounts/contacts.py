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
