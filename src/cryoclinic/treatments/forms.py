"""Forms of the session screen, generated from the procedure's knowledge (techniques, stages, side effects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cryoclinic.knowledge.schema import ProcedureData

from .models import OTHER_CODE, SCORE_MAX, SCORE_MIN, SEVERITY_CHOICES, OutcomePhoto
from .zones import LESION_PROCEDURES, zones_for

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
SCALE_LABELS = {0: _("0 — not seen"), 1: _("1 — slight"), 2: _("2 — clear"), 3: _("3 — full")}


def _checkboxes(label: Any, choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class SessionDetailsForm(forms.Form):
    """Technique, zones (or lesion), times, the protocol stages, reactions observed, notes."""

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "ru"
        self.procedure = procedure
        if procedure.techniques:
            self.fields["technique"] = forms.ChoiceField(
                label=_("Technique"), required=False,
                choices=[("", "—")] + [(t.code, t.name.get(language)) for t in procedure.techniques],
            )
        zones = zones_for(procedure.slug)
        if zones:
            self.fields["zones"] = _checkboxes(_("Zones treated (anatomical zones)"),
                                               [(code, str(label)) for code, label in zones])
        if procedure.slug in LESION_PROCEDURES:
            self.fields["lesion_site"] = forms.CharField(label=_("Lesion site"), required=False, max_length=200)
            self.fields["lesion_size_mm"] = forms.DecimalField(
                label=_("Lesion size, mm"), required=False, min_value=0.1, max_value=999, decimal_places=1
            )
        self.fields["started_at"] = forms.DateTimeField(label=_("Started at"), required=False, widget=DATETIME_WIDGET)
        self.fields["ended_at"] = forms.DateTimeField(label=_("Ended at"), required=False, widget=DATETIME_WIDGET)
        self.fields["stages_done"] = _checkboxes(
            _("Protocol stages done"), [(s.code, s.text.get(language)) for s in procedure.protocol_stages]
        )
        if procedure.side_effects:
            self.fields["reactions"] = _checkboxes(
                _("Reactions observed"), [(s.code, s.text.get(language)) for s in procedure.side_effects]
            )
        self.fields["notes"] = forms.CharField(
            label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_at"), data.get("ended_at")
        if started and ended and ended <= started:
            self.add_error("ended_at", _("The session must end after it starts."))
        return data

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "reason"}


class CorrectionForm(SessionDetailsForm):
    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(procedure, *args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label=_("Reason for the correction"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": _("Give the reason for the correction.")},
        )


class AdverseEventForm(forms.Form):
    code = forms.ChoiceField(label=_("Reaction or event"))
    severity = forms.ChoiceField(
        label=_("Severity"), choices=SEVERITY_CHOICES,
        help_text=_("General grades of CTCAE v5.0: mild = 1, moderate = 2, severe = 3."),
    )
    onset_on = forms.DateField(label=_("Onset"), widget=DATE_WIDGET)
    resolved_on = forms.DateField(label=_("Resolved on"), required=False, widget=DATE_WIDGET)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "ru"
        choices = [(s.code, s.text.get(language)) for s in procedure.side_effects]
        self.fields["code"].choices = choices + [(OTHER_CODE, _("Other (describe)"))]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        onset, resolved = data.get("onset_on"), data.get("resolved_on")
        if onset and onset > today:
            self.add_error("onset_on", _("The onset cannot be in the future."))
        if resolved and (resolved > today or (onset and resolved < onset)):
            self.add_error("resolved_on", _("The resolution falls between the onset and today."))
        if data.get("code") == OTHER_CODE and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the event when its code is 'other'."))
        return data


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DATE_WIDGET)


class ScoreForm(forms.Form):
    """Each expected result of the procedure scored 0–3 (the clinic's scale); blank = not scored now."""

    def __init__(self, procedure: ProcedureData, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "ru"
        self.procedure = procedure
        choices = [("", "—")] + [(str(n), SCALE_LABELS[n]) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for result in procedure.results:
            self.fields[result.code] = forms.TypedChoiceField(
                label=result.text.get(language), choices=choices, coerce=int, required=False, empty_value=None
            )

    def scores(self) -> dict[str, int]:
        return {code: value for code, value in self.cleaned_data.items() if value is not None}


class PhotoForm(forms.Form):
    kind = forms.ChoiceField(label=_("Photo"), choices=OutcomePhoto.Kind.choices)
    image = forms.FileField(label=_("Image (JPEG, PNG or WebP, up to 10 MB)"))


def today_initial() -> dict[str, dt.date]:
    return {"onset_on": timezone.localdate()}
