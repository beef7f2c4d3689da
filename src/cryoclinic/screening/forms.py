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
                label=item.question.get(language),
                choices=YES_NO,
                widget=forms.RadioSelect,
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


class IntakeForm(SelfCheckForm):
    """The staff intake: the self-check's questions plus each preparation item to confirm."""

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(procedure, *args, **kwargs)
        language = get_language() or "ru"
        self.fields["last_course_end"].label = _(
            "If the client had a course of this procedure before: the day it ended"
        )
        for item in procedure.preparation.before_the_day:
            self.fields[f"prep_{item.code}"] = forms.BooleanField(
                label=item.text.get(language),
                required=False,
                help_text=_("Confirmed with the client"),
            )

    def preparation_confirmed(self) -> list[str]:
        return [i.code for i in self.procedure.preparation.before_the_day if self.cleaned_data.get(f"prep_{i.code}")]


class PrerequisiteForm(forms.Form):
    code = forms.ChoiceField(label=_("Prerequisite"))
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note or document reference"), required=False, max_length=300)

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "ru"
        self.fields["code"].choices = [(p.code, p.text.get(language)) for p in procedure.preparation.prerequisites]  # type: ignore[attr-defined]

    def clean_done_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A prerequisite cannot be done in the future."))
        return day


class ConsentForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the signed document"), choices=[("ru", "Русский"), ("en", "English")]
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    confirm = forms.BooleanField(
        label=_("The client has read and signed the printed consent document"),
        error_messages={"required": _("Confirm that the client signed the document.")},
    )

    def clean_signed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be signed in the future."))
        return day
