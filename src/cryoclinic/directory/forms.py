from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cryoclinic.clients.phones import normalize_phone

from .models import BookingRequest, validate_procedure


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


class ClinicPriceForm(forms.Form):
    procedure = forms.CharField(label=_("Procedure"), max_length=50)
    amount_rub = forms.IntegerField(label=_("Price, ₽"), min_value=1, max_value=1_000_000)

    def clean_procedure(self) -> str:
        procedure: str = self.cleaned_data["procedure"]
        validate_procedure(procedure)
        return procedure


class SalonClaimForm(forms.Form):
    """The salon's name and address in both languages, as the clinic writes them."""

    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    address_ru = forms.CharField(label=_("Address in Russian"), max_length=300)
    address_en = forms.CharField(label=_("Address in English"), max_length=300)
