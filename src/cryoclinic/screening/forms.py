"""The self-check questionnaire, generated from a procedure's contraindications in the knowledge base."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cryoclinic.knowledge.schema import ProcedureData

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SelfCheckForm(forms.Form):
    last_course_end = forms.DateField(
        label=_("If you had a course of this procedure before: the day it ended"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "ru"
        self.procedure = procedure
        for item in procedure.contraindications:
            self.fields[item.code] = forms.ChoiceField(
                label=item.question.get(language), choices=YES_NO, widget=forms.RadioSelect,
                error_messages={"required": _("Please answer this question.")},
            )
        self.order_fields([c.code for c in procedure.contraindications] + ["last_course_end"])

    def clean_last_course_end(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data["last_course_end"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The day a course ended cannot be in the future."))
        return day

    def answers(self) -> dict[str, bool]:
        return {c.code: self.cleaned_data[c.code] == "yes" for c in self.procedure.contraindications}
