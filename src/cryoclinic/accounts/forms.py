"""The sign-up form: an email or a mobile phone (or both), and a password."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not {"email", "phone"} & set(self.errors):
            raise forms.ValidationError(
                _("Give an email or a mobile phone number: the code that proves it is yours is sent there."),
                code="no_contact",
            )
        return cleaned
