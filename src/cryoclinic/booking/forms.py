"""The booking wizard's forms: the online questionnaire, the signing code, and the choice of time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.screening.forms import SelfCheckForm

TIMES = [(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(8, 22) for m in (0, 30)]


class OnlineIntakeForm(SelfCheckForm):
    """The self-check's questions, answered to be kept: the clinic's intake, marked online."""

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(procedure, *args, **kwargs)
        del self.fields["last_course_end"]  # the clinic knows its own courses


class CodeForm(forms.Form):
    code_id = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code from the message"), max_length=12, min_length=4)


class ChoiceForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TypedChoiceField(label=_("Time of day"), choices=TIMES, coerce=dt.time.fromisoformat)
    whole_course = forms.TypedChoiceField(
        label=_("Book"), choices=[("1", _("the whole course")), ("0", _("one session"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, initial="1",
    )

    def clean_start(self) -> dt.date:
        day: dt.date = self.cleaned_data["start"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose a day from today on."))
        return day


class BookForm(ChoiceForm):
    sessions = forms.CharField(widget=forms.HiddenInput, help_text="the proposed starts, ISO, comma-separated")

    def clean_sessions(self) -> list[dt.datetime]:
        try:
            return [dt.datetime.fromisoformat(v) for v in self.cleaned_data["sessions"].split(",") if v]
        except ValueError as exc:
            raise forms.ValidationError(_("The proposal was garbled: choose the time again.")) from exc
