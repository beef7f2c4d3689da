"""Validation against the publications (`data/validation.yaml`): each case calibrates the coolant on one
published figure and predicts another with the engine, never fitting what it reports as a prediction.

The Erdmann & Wokes case calibrates as a clinic would (`calibration.posterior`: the −60 °C reading with the
thermal camera's stated accuracy, over the coolant's cited range) and gives the predicted rewarming at the
posterior's median and 5th/95th percentiles: the rewarming grows with the coefficient, so the answer's interval
is the answer at the coefficient's percentiles. The phantom's vapour has no cited coefficient range (the cited
range is liquid nitrogen's): its coefficient is the one reproducing the calibration figure exactly, searched
over `VAPOUR_SEARCH_W_M2K`, and the prediction is a single figure (the study states no spread).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import calibration
from .data import load
from .model import Phase, Scenario, column, expose, first_crossing, resting_state

VALIDATION_FILE = Path(__file__).with_name("data") / "validation.yaml"
VAPOUR_SEARCH_W_M2K = (1.0, 750.0)
BISECTIONS = 40
FIRST_DT_S = 0.001
GROWTH = 1.02


@dataclass
class Row:
    code: str
    text: dict[str, str]
    sources: list[str]
    calibrated_on: str
    coefficient_w_m2k: float | None
    coefficient_interval_w_m2k: list[float] | None
    published: float
    predicted: float | None
    predicted_interval: list[float | None] | None
    unit: str

    @property
    def miss(self) -> float | None:
        """Predicted minus published (None when the engine gives no figure)."""
        return None if self.predicted is None else self.predicted - self.published

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "miss": self.miss}


def cases() -> dict[str, dict[str, Any]]:
    with VALIDATION_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    known = set(raw["sources"]) | set(load().sources)
    for code, case in raw["cases"].items():
        unknown = set(case["source"]) - known
        if unknown:
            raise ValueError(f"{VALIDATION_FILE.name}: cases.{code} cites unknown sources {sorted(unknown)}")
    cases_: dict[str, dict[str, Any]] = raw["cases"]
    return cases_


def _run(s: Scenario, phases: list[Phase], dt_max_s: float) -> Any:
    col = column(s)
    return expose(s, col, resting_state(s, col), phases, dt_s=FIRST_DT_S, growth=GROWTH, dt_max_s=dt_max_s)


def rewarming_s(s: Scenario, coolant_s: float, to_c: float, window_s: float = 600.0) -> float | None:
    """Seconds from lifting the coolant until the surface is back at `to_c` (None: not within the window)."""
    run = _run(s, [Phase(coolant_s, True), Phase(window_s, False)], 0.05)
    lifted = int(np.searchsorted(run.time_s, coolant_s - 1e-9))
    back = first_crossing(run.time_s[lifted:], run.surface_c[lifted:], to_c, falling=False)
    return None if back is None else back - coolant_s


def time_to_c(s: Scenario, to_c: float, within_s: float = 900.0) -> tuple[float | None, Any]:
    """Seconds of coolant until the surface reaches `to_c`, and the run (stopped there)."""
    run = _run(s, [Phase(within_s, True)], 0.5)
    return first_crossing(run.time_s, run.surface_c, to_c, falling=True), run


def depth_c_at(run: Any, time_s: float, depth_mm: float) -> float:
    """The temperature at `depth_mm` at `time_s` of a run (interpolated in time and depth)."""
    j = int(np.clip(np.searchsorted(run.time_s, time_s), 1, len(run.time_s) - 1))
    t0, t1 = run.time_s[j - 1], run.time_s[j]
    field = run.temperature_c[j - 1] + (time_s - t0) / (t1 - t0) * (run.temperature_c[j] - run.temperature_c[j - 1])
    return float(np.interp(depth_mm * 1e-3, run.depth_m, field))


def invert_time(base: Scenario, to_c: float, target_s: float) -> float:
    """The coefficient whose run reaches `to_c` after `target_s` (a stronger coolant gets there sooner)."""
    lo, hi = VAPOUR_SEARCH_W_M2K
    for _ in range(BISECTIONS):
        mid = math.sqrt(lo * hi)
        reached, _ = time_to_c(replace(base, coolant_h_w_m2k=mid), to_c, 3 * target_s)
        lo, hi = (mid, hi) if reached is None or reached > target_s else (lo, mid)
    return math.sqrt(lo * hi)


def _base(case: dict[str, Any]) -> Scenario:
    return replace(calibration.site_scenario(case["site"]), coolant_c=float(case["coolant_c"]))


def _erdmann(code: str, case: dict[str, Any]) -> Row:
    on, predict = case["calibrate_on"], case["predict"]
    reading = calibration.Reading("surface_c", float(on["value"]), float(on["coolant_s"]), case["site"])
    found = calibration.posterior([reading])
    base = _base(case)
    low, median, high = (
        rewarming_s(replace(base, coolant_h_w_m2k=h), predict["coolant_s"], predict["to_c"])
        for h in (found.low_w_m2k, found.median_w_m2k, found.high_w_m2k)
    )
    return Row(
        code=code,
        text={"en": case["en"], "ru": case["ru"]},
        sources=list(case["source"]),
        calibrated_on=f"surface {on['value']:g} °C after {on['coolant_s']:g} s",
        coefficient_w_m2k=found.median_w_m2k,
        coefficient_interval_w_m2k=[found.low_w_m2k, found.high_w_m2k],
        published=float(predict["published"]),
        predicted=median,
        predicted_interval=[low, high],
        unit=predict["unit"],
    )


def _phantom(code: str, case: dict[str, Any]) -> Row:
    on, predict = case["calibrate_on"], case["predict"]
    base = _base(case)
    h = invert_time(base, float(on["to_c"]), float(on["value"]))
    s = replace(base, coolant_h_w_m2k=h)
    if predict["kind"] == "depth_c_at_calibration":
        reached, run = time_to_c(s, float(on["to_c"]), 3 * float(on["value"]))
        predicted = None if reached is None else depth_c_at(run, reached, float(predict["depth_mm"]))
    else:
        predicted = time_to_c(s, float(predict["to_c"]), 3 * float(predict["published"]))[0]
    return Row(
        code=code,
        text={"en": case["en"], "ru": case["ru"]},
        sources=list(case["source"]),
        calibrated_on=f"surface {on['to_c']:g} °C after {on['value']:g} s",
        coefficient_w_m2k=h,
        coefficient_interval_w_m2k=None,
        published=float(predict["published"]),
        predicted=predicted,
        predicted_interval=None,
        unit=predict["unit"],
    )


def run() -> list[Row]:
    """Every case of the validation file: calibrated on one figure, the other predicted."""
    return [
        _erdmann(code, case) if case["calibrate_on"]["kind"] == "surface_c" else _phantom(code, case)
        for code, case in cases().items()
    ]


def markdown(rows: list[Row]) -> str:
    """The README's table."""

    def shown(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    lines = [
        "| Case | Calibrated on | Coefficient, W/m²K | Published | Predicted (90 % interval) | Miss |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        h = "—" if row.coefficient_w_m2k is None else f"{row.coefficient_w_m2k:.0f}"
        if row.coefficient_interval_w_m2k:
            h += " ({:.0f}–{:.0f})".format(*row.coefficient_interval_w_m2k)
        predicted = f"{shown(row.predicted)} {row.unit}"
        if row.predicted_interval:
            predicted += f" ({shown(row.predicted_interval[0])}–{shown(row.predicted_interval[1])})"
        miss = "—" if row.miss is None else f"{row.miss:+.1f} {row.unit} ({row.miss / row.published:+.0%})"
        lines.append(
            f"| {row.text['en']} [{', '.join(row.sources)}] | {row.calibrated_on} | {h} | "
            f"{row.published:g} {row.unit} | {predicted} | {miss} |"
        )
    return "\n".join(lines)
