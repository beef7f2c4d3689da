"""Every answer with its uncertainty: the median and 90 % interval of the safe dwell, the freeze hold, the ice
depth, the lateral spread and the thaw over the coolant coefficient's posterior (`calibration`) and every cited
parameter range (`model.ranges`), by quasi-Monte Carlo, with first-order Sobol indices of what dominates each.

Sampling: a scrambled Sobol' sequence (`scipy.stats.qmc.Sobol`, fixed seed, a power of two of points) on the
unit cube; the coefficient is the posterior's inverse CDF of the first coordinate, every other datum uniform over
its cited range (the data give a span, not a distribution: uniform is the least committal reading of a span).

Sobol indices: the first-order index of each input, Var(E[Y | X_i]) / Var(Y), estimated from the same points
(no extra runs) by the correlation ratio over equal-count bins of X_i, less its bias under independence
((bins − 1) / (n − 1)), clipped to [0, 1]. A Saltelli design would cost n·(d + 2) runs, 20 times more than the
one-second budget allows; the given-data estimate ranks what dominates, which is what the page says.

The finite applicator (2D, `spread.py`) takes about two seconds a run, so the freeze answers' spread is taken
from the wide-contact column (1D) and carried to the applicator by the central scenario's ratio of the two (for
the lateral spread: the central spread times the ratio of ice depths); `FINITE_RATIO_NOTE` says so where shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from scipy.stats import qmc

from .answers import Freeze, Hold, Passes, freeze_once, surface_freeze_s
from .calibration import Posterior
from .data import load
from .model import Scenario, ranges, scenario

DWELL_SAMPLES = 128
FREEZE_SAMPLES = 64
THAW_SAMPLES = 32
SEED = 20
COOLANT = "coolant_h_w_m2k"
NO_PASSES = Passes()
FINITE_RATIO_NOTE = "finite applicator = wide-contact sample × the central scenario's finite/wide ratio"


@dataclass
class Interval:
    """One answer over the uncertain inputs: median, 5th and 95th percentiles (None: beyond the longest hold or
    the thaw window), the share of samples that never reached it, and the first-order Sobol indices."""

    answer: str
    unit: str
    median: float | None
    low: float | None
    high: float | None
    samples: int
    not_reached: float
    calibrated: bool
    sobol: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def dominant(self) -> list[tuple[str, float]]:
        """The inputs by Sobol index, largest first, those above 0.05."""
        return [(name, value) for name, value in sorted(self.sobol.items(), key=lambda kv: -kv[1]) if value > 0.05]


def design(base: Scenario, spans: dict[str, tuple[float, float]], posterior: Posterior, n: int) -> tuple[
    list[Scenario], dict[str, np.ndarray]
]:
    """`n` scenarios on a scrambled Sobol' sequence and the inputs drawn for each (by name)."""
    others = [name for name in spans if name != COOLANT]
    unit = qmc.Sobol(d=1 + len(others), scramble=True, seed=SEED).random(n)
    drawn = {COOLANT: np.asarray(posterior.quantile(unit[:, 0]), dtype=float)}
    for j, name in enumerate(others, start=1):
        low, high = spans[name]
        drawn[name] = low + unit[:, j] * (high - low)
    scenarios = [replace(base, **{name: float(values[i]) for name, values in drawn.items()}) for i in range(n)]
    return scenarios, drawn


def designed(zone: str, skin: str, posterior: Posterior, n: int) -> tuple[list[Scenario], dict[str, np.ndarray]]:
    """The design for a zone and skin profile: its central data, its cited ranges."""
    data = load()
    return design(scenario(zone, skin, data), ranges(zone, skin, data), posterior, n)


def sobol_first_order(inputs: dict[str, np.ndarray], outputs: np.ndarray) -> dict[str, float]:
    """Var(E[Y | X_i]) / Var(Y) per input, by equal-count bins of X_i, less the bias of independence."""
    n = outputs.size
    total = float(np.var(outputs))
    if n < 8 or total <= 0:
        return {name: 0.0 for name in inputs}
    bins = max(int(np.sqrt(n)), 2)
    bias = (bins - 1) / (n - 1)
    indices = {}
    for name, x in inputs.items():
        groups = np.array_split(outputs[np.argsort(x, kind="stable")], bins)
        between = sum(g.size * (g.mean() - outputs.mean()) ** 2 for g in groups) / n
        indices[name] = float(np.clip(between / total - bias, 0.0, 1.0))
    return indices


def summarise(
    answer: str, unit: str, values: list[float | None], drawn: dict[str, np.ndarray], posterior: Posterior
) -> Interval:
    """Median and 90 % interval of the values (None counts as beyond every figure), and the Sobol indices."""
    finite = np.array([np.inf if v is None else v for v in values], dtype=float)
    low, median, high = (float(v) for v in np.quantile(finite, [0.05, 0.5, 0.95]))
    reached = np.isfinite(finite)
    # Sobol indices of the censored values: not reached ranks above every figure (the largest seen, doubled)
    ranked = np.where(reached, finite, 2 * np.max(finite[reached]) if reached.any() else 1.0)
    return Interval(
        answer=answer,
        unit=unit,
        median=median if np.isfinite(median) else None,
        low=low if np.isfinite(low) else None,
        high=high if np.isfinite(high) else None,
        samples=len(values),
        not_reached=float(1 - reached.mean()),
        calibrated=posterior.calibrated,
        sobol=sobol_first_order(drawn, ranked),
    )


def _timed(compute: Callable[[], Interval]) -> Interval:
    start = time.perf_counter()
    result = compute()
    result.seconds = time.perf_counter() - start
    return result


def dwell_interval(
    zone: str, skin: str, posterior: Posterior, passes: Passes = NO_PASSES, n: int = DWELL_SAMPLES
) -> Interval:
    """The safe dwell (s) over the posterior and every cited range (codes checked by the caller)."""

    def compute() -> Interval:
        scenarios, drawn = designed(zone, skin, posterior, n)
        values: list[float | None] = [surface_freeze_s(s, passes) for s in scenarios]
        return summarise("safe_dwell", "s", values, drawn, posterior)

    return _timed(compute)


@dataclass(frozen=True)
class Central:
    """The central scenario's finite-applicator answers and its wide-contact ones: their ratios carry the
    wide-contact spread to the applicator."""

    hold_s: float | None
    ice_depth_mm: float
    lateral_spread_mm: float
    thaw_s: float | None
    wide_hold_s: float | None
    wide_ice_depth_mm: float
    wide_thaw_s: float | None

    def ratio(self, finite: float | None, wide: float | None) -> float:
        return finite / wide if finite and wide else 1.0

    @classmethod
    def of(cls, result: Freeze) -> Central:
        wide = result.wide_contact
        return cls(
            result.hold_s, result.ice_depth_mm, result.lateral_spread_mm, result.thaw_s,
            wide["hold_s"], wide["ice_depth_mm"], wide["thaw_s"],
        )  # fmt: skip


@dataclass(frozen=True)
class FreezeCase:
    """A lesion's question as the intervals need it: the place, the target, and the central answer."""

    zone: str
    skin: str
    target_mm: float
    isotherm_c: float
    max_hold_s: float
    central: Central

    @classmethod
    def of(cls, result: Freeze, max_hold_s: float) -> FreezeCase:
        return cls(result.zone, result.skin, result.target_mm, result.isotherm_c, max_hold_s, Central.of(result))

    def runs(self, posterior: Posterior, n: int, thaw: bool) -> tuple[list[Hold], dict[str, np.ndarray]]:
        """The wide-contact freeze (and thaw) of `n` scenarios of the design, and the inputs drawn."""
        scenarios, drawn = designed(self.zone, self.skin, posterior, n)
        return [freeze_once(s, self.target_mm, self.isotherm_c, self.max_hold_s, 1, thaw)[0] for s in scenarios], drawn


def _scaled(values: list[float | None], ratio: float) -> list[float | None]:
    return [None if v is None else v * ratio for v in values]


def freeze_intervals(case: FreezeCase, posterior: Posterior, n: int = FREEZE_SAMPLES) -> dict[str, Interval]:
    """The hold (s), the ice depth (mm) and the lateral spread (mm) over the posterior and every cited range."""
    start = time.perf_counter()
    runs, drawn = case.runs(posterior, n, thaw=False)
    elapsed = time.perf_counter() - start
    central = case.central
    hold_ratio = central.ratio(central.hold_s, central.wide_hold_s)
    depth_ratio = central.ratio(central.ice_depth_mm, central.wide_ice_depth_mm)
    spread_per_depth = central.lateral_spread_mm / central.wide_ice_depth_mm if central.wide_ice_depth_mm else 0.0
    depths: list[float | None] = [r.ice_depth_mm for r in runs]
    results = {
        "hold_s": summarise("freeze_hold", "s", _scaled([r.hold_s for r in runs], hold_ratio), drawn, posterior),
        "ice_depth_mm": summarise("ice_depth", "mm", _scaled(depths, depth_ratio), drawn, posterior),
        "lateral_spread_mm": summarise("lateral_spread", "mm", _scaled(depths, spread_per_depth), drawn, posterior),
    }
    for interval in results.values():
        interval.seconds, interval.note = elapsed, FINITE_RATIO_NOTE
    return results


def thaw_interval(case: FreezeCase, posterior: Posterior, n: int = THAW_SAMPLES) -> Interval:
    """The thaw after the hold (s) over the posterior and every cited range."""

    def compute() -> Interval:
        runs, drawn = case.runs(posterior, n, thaw=True)
        ratio = case.central.ratio(case.central.thaw_s, case.central.wide_thaw_s)
        return summarise("thaw", "s", _scaled([r.thaw_s for r in runs], ratio), drawn, posterior)

    result = _timed(compute)
    result.note = FINITE_RATIO_NOTE
    return result


def answer_against_h(answer: Callable[[Scenario], float | None], base: Scenario, h_values: list[float]) -> list[
    float | None
]:
    """The answer at each coefficient, every other datum central: the curve the page plots under the posterior."""
    return [answer(replace(base, coolant_h_w_m2k=float(h))) for h in h_values]
