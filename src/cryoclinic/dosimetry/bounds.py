"""The published measurements that bound the coolant coefficient's range, checked by running the engine.

No publication measures the coolant's heat-transfer coefficient on skin; its range (`coolant.h_w_m2k` in the
data file) is held to published figures instead. For each of `coolant.measurements`, some coefficient inside
the range must bring the engine, run on the stand-in column (`coolant.stand_in`), within the measurement's
tolerance of its figure. Each figure moves one way with the coefficient (a stronger coolant: a colder surface,
a deeper freeze that takes longer to rewarm), so the range holds one exactly when its two ends bracket the
figure, and bisection finds the coefficient. When a measurement is missed, `check` raises `RangeContradicted`:
the answers refuse rather than show a range that a measurement contradicts. (`Bound`, `RangeContradicted`,
`check` and `coolant_range` live in `table`, which reads them back without the engine.)
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .data import DoseData, Measurement
from .model import Phase, Scenario, column, expose, first_crossing, resting_state, scenario
from .table import Bound, RangeContradicted, check, coolant_range

__all__ = ["Bound", "RangeContradicted", "bound", "bounds", "check", "coolant_range", "figure", "invert"]

# Steps as for the safe dwell (`answers`): 1 ms after each change of contact, growing 2 % a step.
FIRST_DT_S = 0.001
GROWTH = 1.02
DT_MAX_S = 0.05
REWARM_WINDOW = 4.0  # rewarming is looked for over this many times the measured interval
BISECTIONS = 60


def figure(s: Scenario, m: Measurement) -> float | None:
    """The engine's counterpart of the measurement on scenario `s`: the surface temperature (°C) after the
    coolant, or the seconds from lifting it until the surface is back at `surface_c` (None: not within
    `REWARM_WINDOW` times the measured interval)."""
    col = column(s)
    phases = [Phase(m.coolant_s, True)]
    if m.after_s is not None:
        phases.append(Phase(REWARM_WINDOW * m.after_s, False))
    run = expose(s, col, resting_state(s, col), phases, dt_s=FIRST_DT_S, growth=GROWTH, dt_max_s=DT_MAX_S)
    lifted = int(np.searchsorted(run.time_s, m.coolant_s - 1e-9))
    if m.after_s is None:
        return float(run.surface_c[lifted])
    if run.surface_c[lifted] >= m.surface_c:
        return 0.0
    back = first_crossing(run.time_s[lifted:], run.surface_c[lifted:], m.surface_c, falling=False)
    return None if back is None else back - m.coolant_s


def _gap(s: Scenario, m: Measurement) -> tuple[float | None, float]:
    """The figure and its signed distance from the measurement, oriented to fall as the coefficient grows."""
    value = figure(s, m)
    if m.after_s is None:
        return value, (math.nan if value is None else value - m.surface_c)
    return value, (-math.inf if value is None else m.after_s - value)


def bound(m: Measurement, base: Scenario, low_w_m2k: float, high_w_m2k: float, tolerance: float | None = None) -> Bound:
    """The measurement held against the coefficient range [low, high] on scenario `base` (within its own
    tolerance unless `tolerance` is given)."""
    tolerance = m.tolerance if tolerance is None else tolerance
    at_low, gap_low = _gap(replace(base, coolant_h_w_m2k=low_w_m2k), m)
    at_high, gap_high = _gap(replace(base, coolant_h_w_m2k=high_w_m2k), m)
    reproduced: float | None = None
    if abs(gap_low) <= tolerance:
        reproduced = low_w_m2k
    elif abs(gap_high) <= tolerance:
        reproduced = high_w_m2k
    elif gap_low > 0 > gap_high:
        lo, hi = low_w_m2k, high_w_m2k
        for _ in range(BISECTIONS):
            mid = math.sqrt(lo * hi)
            gap = _gap(replace(base, coolant_h_w_m2k=mid), m)[1]
            if abs(gap) <= tolerance:
                reproduced = mid
                break
            lo, hi = (mid, hi) if gap > 0 else (lo, mid)
    return Bound(
        code=m.code,
        sources=list(m.sources),
        text=dict(m.text),
        kind=m.kind,
        measured=m.after_s if m.after_s is not None else m.surface_c,
        unit="s" if m.after_s is not None else "°C",
        tolerance=m.tolerance,
        at_low_end=at_low,
        at_high_end=at_high,
        reproduced_at_w_m2k=reproduced,
    )


def bounds(data: DoseData) -> tuple[Bound, ...]:
    """Every measurement of the data file held against the coolant coefficient's range, on the stand-in."""
    base = scenario(data.stand_in.zone, data.stand_in.skin, data)
    low, high = data.coolant_h.low, data.coolant_h.high
    return tuple(bound(m, base, low, high) for m in data.measurements.values())


def invert(data: DoseData, m: Measurement, zone: str, skin: str, low_w_m2k: float, high_w_m2k: float) -> float | None:
    """The coefficient in [low, high] that reproduces the measurement on one zone's column to a hundredth of its
    tolerance (the derivation of the range's high end: `cryoclinic dose bounds --invert`)."""
    found = bound(m, scenario(zone, skin, data), low_w_m2k, high_w_m2k, m.tolerance / 100)
    return found.reproduced_at_w_m2k

