"""The client's own edit form: contact details only; clinical fields are the staff's.

The form renders the fields; the checks (phone, date of birth) and the write are `services.update_client`'s."""

from __future__ import annotations

from django import forms

from .models import Client
from .services import CONTACT_FIELDS


class OwnRecordForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = list(CONTACT_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}
