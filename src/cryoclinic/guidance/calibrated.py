"""The dose answers as the clinic's calibration makes them: the dwell table per technique from the clinic's
coefficient posterior (or, uncalibrated, the data's cautious central value and the whole cited range, marked so),
zones with the same answer grouped, the full-uncertainty answers to the page's questions, and the plot of an
answer against the coefficient with the posterior over it. Every page, the session screen and the API read
these, so each shows the same figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from cryoclinic.charts import line_plot
from cryoclinic.dosimetry import answers, uncertainty
from cryoclinic.dosimetry.calibration import Posterior
from cryoclinic.dosimetry.data import load
from cryoclinic.dosimetry.model import Scenario, scenario

from . import calibrate

INPUTS = {
    "coolant_h_w_m2k": _("coolant coefficient"),
    "coolant_c": _("coolant temperature"),
    "epidermis_mm": _("epidermis thickness"),
    "dermis_mm": _("dermis thickness"),
    "fat_mm": _("fat thickness"),
    "k_epidermis_w_mk": _("epidermis conductivity"),
    "k_dermis_w_mk": _("dermis conductivity"),
    "k_fat_w_mk": _("fat conductivity"),
    "c_epidermis_j_m3k": _("epidermis heat capacity"),
    "c_dermis_j_m3k": _("dermis heat capacity"),
    "c_fat_j_m3k": _("fat heat capacity"),
    "perfusion_w_m3k": _("blood perfusion"),
    "liquidus_c": _("freezing point"),
    "solidus_c": _("end of freezing"),
    "latent_j_m3": _("latent heat"),
    "frozen_k_ratio": _("frozen conductivity ratio"),
    "frozen_c_ratio": _("frozen heat capacity ratio"),
    "air_c": _("room temperature"),
    "air_h_w_m2k": _("room air coefficient"),
    "core_c": _("body temperature"),
}
PLOT_POINTS = 13  # coefficients the answer is plotted at (every fourth of the posterior's grid)


@dataclass(frozen=True)
class Cell:
    """The safe dwell of one zone, technique and skin: at the posterior's median coefficient, shortest–longest
    at its 95th and 5th percentiles; uncalibrated: the data's central value and the cited range's ends."""

    zone: str
    technique: str
    skin: str
    dwell_s: float
    shortest_s: float
    longest_s: float
    calibrated: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def posteriors() -> dict[str, Posterior]:
    """The active clinic's posterior for every technique."""
    return {technique: calibrate.posterior(technique)[0] for technique in calibrate.techniques()}


def dwell_cell(zone: str, technique: str, skin: str, posterior: Posterior) -> Cell:
    if not posterior.calibrated:
        row = answers.safe_dwell(zone, technique, skin)
        return Cell(zone, technique, skin, row.dwell_s, row.shortest_s, row.longest_s, False)
    base = scenario(zone, skin)

    def at(h: float) -> float:
        return answers.surface_freeze_s(replace(base, coolant_h_w_m2k=h))

    return Cell(
        zone, technique, skin, at(posterior.median_w_m2k), at(posterior.high_w_m2k), at(posterior.low_w_m2k), True
    )


@dataclass(frozen=True)
class Group:
    """Zones whose cells show the same figures (to the shown precision), one row on the page."""

    zones: tuple[str, ...]
    names: tuple[str, ...]
    cells: tuple[Cell, ...]

    @property
    def grouped(self) -> bool:
        return len(self.zones) > 1


def _shown(cell: Cell) -> tuple[str, str, str]:
    return (f"{cell.dwell_s:.2f}", f"{cell.shortest_s:.2f}", f"{cell.longest_s:.2f}")


def grouped_rows(rows: list[tuple[str, str, list[Cell]]]) -> list[Group]:
    """Rows (zone code, name, cells) grouped where every cell shows the same figures, in the first zone's order."""
    groups: dict[tuple[tuple[str, str, str], ...], list[tuple[str, str, list[Cell]]]] = {}
    for row in rows:
        groups.setdefault(tuple(_shown(c) for c in row[2]), []).append(row)
    return [
        Group(tuple(r[0] for r in members), tuple(r[1] for r in members), tuple(members[0][2]))
        for members in groups.values()
    ]


def dominant(interval: uncertainty.Interval) -> list[tuple[Any, float]]:
    """What dominates an answer, named for the page: (the input's name, its first-order Sobol index)."""
    return [(INPUTS.get(name, name), index) for name, index in interval.dominant]


def zone_names(language: str) -> dict[str, str]:
    return {code: zone.name[language] for code, zone in load().zones.items()}


def dwell_answer(zone: str, technique: str, skin: str, passes: answers.Passes) -> dict[str, Any]:
    """The safe dwell with its full uncertainty (the posterior and every cited range) and the curve against the
    coefficient; raises `answers.InputError` on a bad input like `safe_dwell`."""
    central = answers.safe_dwell(zone, technique, skin, passes=passes)
    posterior = calibrate.posterior(technique)[0]
    interval = uncertainty.dwell_interval(zone, skin, posterior, passes)
    curve = curve_against_h(lambda s: answers.surface_freeze_s(s, passes), scenario(zone, skin), posterior)
    return {"central": central, "interval": interval, "posterior": posterior, "curve": curve,
            "dominant": dominant(interval)}  # fmt: skip


def freeze_answer(zone: str, skin: str, lesion: answers.Lesion, technique: str, cycles: int, max_hold_s: float) -> (
    dict[str, Any]
):
    """The lesion's answer (the finite applicator at the central data) with the hold, ice depth, lateral spread
    and thaw as intervals over the clinic's posterior and every cited range, and the hold against the
    coefficient; raises `answers.InputError` like `freeze_hold`."""
    result = answers.freeze_hold(zone, skin, lesion, technique=technique, max_hold_s=max_hold_s, cycles=cycles)
    posterior = calibrate.posterior(technique)[0]
    case = uncertainty.FreezeCase.of(result, max_hold_s)
    intervals = uncertainty.freeze_intervals(case, posterior)
    intervals["thaw_s"] = uncertainty.thaw_interval(case, posterior)

    def hold(s: Scenario) -> float | None:
        return answers.freeze_once(s, result.target_mm, result.isotherm_c, max_hold_s, 1, False)[0].hold_s

    curve = curve_against_h(hold, scenario(zone, skin), posterior)
    rows = [(name, interval, dominant(interval)) for name, interval in intervals.items()]
    return {"central": result, "intervals": intervals, "posterior": posterior, "curve": curve, "rows": rows}


def curve_against_h(answer: Callable[[Scenario], float | None], base: Scenario, posterior: Posterior) -> dict[
    str, list[Any]
]:
    """The answer at every fourth coefficient of the posterior's grid (other data central), and the posterior's
    density on the whole grid."""
    step = max(len(posterior.h_w_m2k) // (PLOT_POINTS - 1), 1)
    h_values = posterior.h_w_m2k[::step]
    return {
        "h_w_m2k": h_values,
        "answer": uncertainty.answer_against_h(answer, base, h_values),
        "density_h_w_m2k": posterior.h_w_m2k,
        "density": posterior.density,
    }


def curve_plot(curve: dict[str, list[Any]], *, answer_label: str, posterior_label: str, y_label: str, title: str,
               x_label: str) -> Any:  # fmt: skip
    """The answer against the coefficient, the posterior's density drawn over it on the answer's scale."""
    points = [(h, v) for h, v in zip(curve["h_w_m2k"], curve["answer"], strict=True) if v is not None]
    if not points:
        return ""
    top = max(v for _, v in points)
    peak = max(curve["density"]) or 1.0
    scaled = [d / peak * top for d in curve["density"]]
    return line_plot(
        [
            (answer_label, [h for h, _ in points], [v for _, v in points]),
            (posterior_label, curve["density_h_w_m2k"], scaled),
        ],
        x_label=x_label,
        y_label=y_label,
        title=title,
        y_range=(0.0, top),
    )
