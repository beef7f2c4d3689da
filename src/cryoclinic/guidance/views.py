"""The staff dose page: the safe-dwell table for every zone, technique and skin profile, and the two questions
(safe dwell after earlier passes; hold time for a lesion) with temperature–depth plots; what bounds the coolant
coefficient's range, or, when that range misses a cited measurement, a refusal in place of every figure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN, PRACTITIONER
from cryoclinic.charts import line_plot
from cryoclinic.dosimetry import answers, bounds
from cryoclinic.dosimetry.data import DoseData, load
from cryoclinic.languages import content_language

from . import calibrate, calibrated
from .forms import DwellForm, FreezeForm, ReadingForm


def _table() -> dict[str, Any]:
    """The dwell table from the clinic's calibration per technique, zones with the same figures grouped."""
    data, language = load(), content_language()
    found = calibrated.posteriors()
    techniques = [code for code, t in data.techniques.items() if t.mode != "hold"]
    columns = [(t, s) for t in techniques for s in data.profiles]
    rows = [
        (code, zone.name[language], [calibrated.dwell_cell(code, t, s, found[t]) for t, s in columns])
        for code, zone in data.zones.items()
    ]
    return {
        "columns": [(data.techniques[t].name[language], data.profiles[s][language]) for t, s in columns],
        "groups": calibrated.grouped_rows(rows),
        "techniques": [
            {"name": data.techniques[t].name[language], "posterior": found[t]} for t in techniques
        ],
    }


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return _("not reached")
    return _("%(value).1f °C") % {"value": value} if unit == "°C" else _("%(value).1f s") % {"value": value}


def _coolant(data: DoseData, coolant: dict[str, Any]) -> dict[str, Any]:
    """The coefficient's range and, per bounding measurement, its text, source and the engine's figures."""
    language = content_language()
    reproduced = sorted(m["reproduced_at_w_m2k"] for m in coolant["measurements"] if m["reproduced_at_w_m2k"])
    apart = len(reproduced) > 1 and reproduced[-1] > 1.1 * reproduced[0]  # one coefficient cannot meet them all
    return {
        **coolant,
        "apart": ", ".join(f"{h:.0f}" for h in reproduced) if apart else "",
        "stand_in": data.zones[data.stand_in.zone].name[language],
        "stand_in_skin": data.profiles[data.stand_in.skin][language],
        "measurements": [
            {
                "text": m["text"][language],
                "sources": m["sources"],
                "measured": _figure(m["measured"], m["unit"]),
                "tolerance": _figure(m["tolerance"], m["unit"]),
                "at_low_end": _figure(m["at_low_end"], m["unit"]),
                "at_high_end": _figure(m["at_high_end"], m["unit"]),
                "reproduced_at_w_m2k": m["reproduced_at_w_m2k"],
            }
            for m in coolant["measurements"]
        ],
    }


def _freeze_plots(result: answers.Freeze) -> list[Any]:
    depth_mm = [z * 1e3 for z in result.depth_m]
    first = result.cycles[0]
    profiles = [(_("%(time).0f s") % {"time": p["time_s"]}, depth_mm, p["temperature_c"]) for p in first["profiles"]]
    shown = [d for d in depth_mm if d <= max(2 * result.target_mm, 3.0)]
    cut = len(shown)
    return [
        line_plot(
            [(label, x[:cut], y[:cut]) for label, x, y in profiles],
            x_label=_("depth, mm"),
            y_label=_("temperature, °C"),
            title=_("Temperature against depth during the hold"),
        ),
        line_plot(
            [(f"{iso} °C", first["time_s"], depths) for iso, depths in first["isotherm_depth_mm"].items()],
            x_label=_("time, s"),
            y_label=_("depth, mm"),
            title=_("Depth of the isotherms during the hold"),
        ),
    ]


def _curve_plot(curve: dict[str, Any], y_label: str) -> Any:
    return calibrated.curve_plot(
        curve,
        answer_label=y_label,
        posterior_label=_("posterior of h (scaled)"),
        y_label=y_label,
        x_label=_("coolant coefficient h, W/m²K"),
        title=_("The answer against the coolant's coefficient, with its posterior"),
    )


@roles_required(ADMIN, PRACTITIONER)
@require_GET
def dose(request: HttpRequest) -> HttpResponse:
    question = request.GET.get("question", "")
    dwell_form = DwellForm(request.GET if question == "dwell" else None)
    freeze_form = FreezeForm(request.GET if question == "freeze" else None)
    data = load()
    context: dict[str, Any] = {
        "dwell_form": dwell_form,
        "freeze_form": freeze_form,
        "sources": data.sources,
        "question": question,
    }
    try:
        context["coolant"] = _coolant(data, answers.checked_coolant_range(data))
        context["table"] = _table()
    except bounds.RangeContradicted as error:
        refused = _coolant(data, bounds.coolant_range(data, (error.bound,)))
        context["refusal"] = {**refused, "measurement": refused["measurements"][0]}
        return render(request, "guidance/dose.html", context)
    status = 200
    if question == "dwell" and dwell_form.is_valid():
        d = dwell_form.cleaned_data
        passes = answers.Passes(d["passes"] or 0, d["contact_s"] or 0.5, d["gap_s"] or 5.0)
        try:
            found = calibrated.dwell_answer(d["zone"], d["technique"], d["skin"], passes)
            context["dwell"], context["dwell_plot"] = found, _curve_plot(found["curve"], _("safe dwell, s"))
        except answers.InputError as error:
            dwell_form.add_error(error.field if error.field in dwell_form.fields else None, error.message)
    elif question == "freeze" and freeze_form.is_valid():
        d = freeze_form.cleaned_data
        lesion = answers.Lesion(d["lesion_depth_mm"], d["margin_mm"], d["lesion_diameter_mm"], d["lesion_kind"])
        try:
            found = calibrated.freeze_answer(d["zone"], d["skin"], lesion, d["technique"], d["cycles"], 120.0)
            result = found["central"]
            context["freeze"], context["freeze_uncertainty"] = result, found
            context["plots"] = [_curve_plot(found["curve"], _("hold, s")), *_freeze_plots(result)]
        except answers.InputError as error:
            freeze_form.add_error(error.field if error.field in freeze_form.fields else None, error.message)
    if (question == "dwell" and dwell_form.errors) or (question == "freeze" and freeze_form.errors):
        status = 422
    return render(request, "guidance/dose.html", context, status=status)


@roles_required(ADMIN, PRACTITIONER)
@require_http_methods(["GET", "POST"])
def calibration(request: HttpRequest) -> HttpResponse:
    """The clinic's readings of its coolant per technique: the form, the history (flagged readings marked) and
    the coefficient's posterior they give."""
    techniques = calibrate.techniques()
    technique = request.GET.get("technique") or request.POST.get("technique") or techniques[0]
    if technique not in techniques:
        technique = techniques[0]
    form = ReadingForm(request.POST or None, initial={"technique": technique})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                calibrate.record(
                    technique=d["technique"], kind=d["kind"], site=d["site"], instrument=d["instrument"],
                    value=d["value"], coolant_s=d["coolant_s"], note=d["note"], user=request.user,
                )  # fmt: skip
            except calibrate.CalibrationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect(f"{reverse('staff-dose-calibration')}?technique={d['technique']}")
        status = 422
    posterior, readings = calibrate.posterior(technique)
    flagged = {readings[i].pk for i in posterior.flagged}
    data, language = load(), content_language()
    context = {
        "form": form,
        "technique": technique,
        "techniques": [(code, data.techniques[code].name[language]) for code in techniques],
        "technique_name": data.techniques[technique].name[language],
        "posterior": posterior,
        "history": [(r, r.pk in flagged) for r in reversed(readings)],
        "plot": line_plot(
            [(_("posterior density"), posterior.h_w_m2k, posterior.density)],
            x_label=_("coolant coefficient h, W/m²K"),
            y_label=_("density per unit of log h"),
            title=_("The coefficient's posterior"),
        ),
    }
    return render(request, "guidance/calibration.html", context, status=status)
