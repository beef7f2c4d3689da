"""The dose page's two questions as forms; choices come from the cited data file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cryoclinic.dosimetry.data import load
from cryoclinic.languages import content_language

from .models import CoolantReading


def zone_choices() -> list[tuple[str, str]]:
    return [(code, zone.name[content_language()]) for code, zone in load().zones.items()]


def skin_choices() -> list[tuple[str, str]]:
    return [(code, str(profile[content_language()])) for code, profile in load().profiles.items()]


def technique_choices(hold: bool) -> list[tuple[str, str]]:
    return [(code, t.name[content_language()]) for code, t in load().techniques.items() if (t.mode == "hold") == hold]


def kind_choices() -> list[tuple[str, str]]:
    return [(code, lethal.name[content_language()]) for code, lethal in load().lethal.items()]


class DwellForm(forms.Form):
    zone = forms.ChoiceField(label=_("Zone"), choices=zone_choices)
    technique = forms.ChoiceField(label=_("Technique"), choices=lambda: technique_choices(False))
    skin = forms.ChoiceField(label=_("Skin thickness"), choices=skin_choices)
    passes = forms.IntegerField(label=_("Earlier passes over this spot"), initial=0, required=False)
    contact_s = forms.FloatField(label=_("Contact per pass, s"), initial=0.5, required=False)
    gap_s = forms.FloatField(label=_("Time between passes, s"), initial=5.0, required=False)


class FreezeForm(forms.Form):
    zone = forms.ChoiceField(label=_("Zone"), choices=zone_choices)
    skin = forms.ChoiceField(label=_("Skin thickness"), choices=skin_choices)
    technique = forms.ChoiceField(label=_("Technique"), choices=lambda: technique_choices(True))
    lesion_kind = forms.ChoiceField(label=_("Lesion"), choices=kind_choices)
    lesion_depth_mm = forms.FloatField(label=_("Lesion depth, mm"))
    margin_mm = forms.FloatField(label=_("Margin, mm"), initial=1.0)
    lesion_diameter_mm = forms.FloatField(label=_("Lesion diameter, mm"))
    cycles = forms.IntegerField(label=_("Freeze–thaw cycles"), initial=1)


def calibrated_technique_choices() -> list[tuple[str, str]]:
    return [(code, t.name[content_language()]) for code, t in load().techniques.items()]


class ReadingForm(forms.Form):
    """One reading of the clinic's coolant; the engine's own limits are checked by `calibrate.record`."""

    technique = forms.ChoiceField(label=_("Technique"), choices=calibrated_technique_choices)
    kind = forms.ChoiceField(label=_("Reading"), choices=CoolantReading.Kind.choices)
    site = forms.ChoiceField(label=_("Site"), choices=CoolantReading.Site.choices)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=CoolantReading.Instrument.choices)
    coolant_s = forms.FloatField(
        label=_("Application, s"), required=False, help_text=_("for a surface temperature: how long the coolant was on")
    )
    value = forms.FloatField(label=_("Value"), help_text=_("surface temperature in °C, or seconds to the first frost"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
