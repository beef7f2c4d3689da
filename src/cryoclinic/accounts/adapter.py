"""django-allauth, fitted to cryoclinic: phone numbers live in `PhoneNumber`, codes go through the SMS backend,
and a person who gave an email proves it before signing in (one who signed up by phone proves the phone)."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.models import EmailAddress
from allauth.core import context
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic.clients.phones import normalize_phone
from cryoclinic.notifications.sms import SmsError, get_backend

from .models import PhoneNumber

logger = logging.getLogger(__name__)


class PhoneField(forms.CharField):
    """Any way people write a number ('8 912 345-67-89'), stored as E.164; an impossible one is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "")
        return normalize_phone(text) if text else text


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        return [
            "allauth.account.stages.LoginByCodeStage",
            "allauth.account.stages.PhoneVerificationStage",
            "cryoclinic.accounts.adapter.EmailVerificationStage",
        ]

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        from django.urls import reverse

        return reverse("after-login")

    def phone_form_field(self, **kwargs: Any) -> Any:
        return PhoneField(**kwargs)

    def send_verification_code_sms(self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any) -> None:
        text = _("cryoclinic code: %(code)s. Do not tell it to anyone.") % {"code": code}
        try:
            get_backend().send(phone, text)
        except SmsError as exc:
            logger.warning("sign-in code not sent to %s: %s", phone, exc)
            messages.error(context.request, _("The code could not be sent by SMS: %(reason)s") % {"reason": exc})

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        PhoneNumber.objects.update_or_create(
            user_id=user.pk, defaults={"phone": phone, "verified_at": timezone.now() if verified else None}
        )

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        row = PhoneNumber.objects.filter(user_id=user.pk).first()
        return (row.phone, row.verified_at is not None) if row else None

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        PhoneNumber.objects.filter(user_id=user.pk, phone=phone).update(verified_at=timezone.now())

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        row = PhoneNumber.objects.filter(phone=phone).select_related("user").first()
        return row.user if row else None


class EmailVerificationStage(stages.EmailVerificationStage):
    """Mandatory for anyone with an email on file; a phone-only account is verified by its SMS code instead."""

    def handle(self) -> Any:
        user = self.login.user
        if self.login.email or (user is not None and EmailAddress.objects.filter(user_id=user.pk).exists()):
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()
