from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cryoclinic.clients.phones import normalize_phone

from .models import BookingRequest


class BookingRequestForm(forms.ModelForm):
    class Meta:
        model = BookingRequest
        fields = ["name", "phone", "email", "preferred_date", "message"]
        widgets = {
            "preferred_date": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_preferred_date(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data["preferred_date"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The preferred date cannot be in the past."))
        return day


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your review"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
