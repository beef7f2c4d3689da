"""The client's own edit form: contact details only; clinical fields are the staff's."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Client
from .phones import normalize_phone


class OwnRecordForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["full_name", "date_of_birth", "phone", "email"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_date_of_birth(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data["date_of_birth"]
        if day is not None and not (dt.date(1900, 1, 1) <= day <= timezone.localdate()):
            raise forms.ValidationError(_("Enter a date of birth between 1900 and today."))
        return day
