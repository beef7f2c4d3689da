"""A clinic's coolant coefficient inferred from its own readings: a posterior over the heat-transfer coefficient
h, per technique and clinic (the readings are the caller's; this module is pure).

A reading is the surface temperature after a timed application (IR thermometer or thermal camera), or the time
to the first visible frost (the surface at the liquidus). The engine runs the coolant on the reading's site for
every h of a grid over the cited range (`tissue.yaml`, coolant.h_w_m2k), once per site and process, and reads
each figure off those runs. The posterior is the grid's prior (uniform in log h) times a Gaussian likelihood per
reading (`calibration.yaml` gives each kind's standard deviation and cites it).

Why a grid and not a sampler library (PyMC, emcee): the unknown is one number on a bounded range, and the
likelihood is smooth in it; 49 points cover the range to about 4 % in h, the posterior's quantiles are read off
its cumulative sum exactly, and there is nothing a Markov chain would add but a dependency and sampling noise.

A reading that no h in the range brings within `explained_within_sd` standard deviations is flagged, not
fitted: it names an error of the reading (or a coolant outside the cited physics), not a coefficient.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import tablecache
from .data import DoseData, load
from .enthalpy1d import FloatArray
from .model import Phase, Scenario, column, expose, first_crossing, resting_state, scenario

CALIBRATION_FILE = Path(__file__).with_name("data") / "calibration.yaml"
KINDS = ("surface_c", "frost_s")
RUN_S = 20.0  # the longest application a reading may time
FIRST_DT_S = 0.001
GROWTH = 1.02
DT_MAX_S = 0.05

# Valid readings: what the runs cover, not medical limits.
LIMITS: dict[str, tuple[float, float]] = {
    "coolant_s": (0.5, RUN_S),
    "surface_c": (-150.0, 40.0),
    "frost_s": (0.01, RUN_S),
}


class ReadingError(ValueError):
    """A reading out of range: names the field and what is valid."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Settings:
    sources: dict[str, dict[str, str]]
    grid_points: int
    explained_within_sd: float
    surface_sd_c: float
    frost_sd_fraction: float
    frost_sd_min_s: float
    sites: dict[str, dict[str, Any]]


@lru_cache(maxsize=1)
def settings() -> Settings:
    with CALIBRATION_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    readings = raw["readings"]
    return Settings(
        sources=raw["sources"],
        grid_points=int(raw["grid_points"]),
        explained_within_sd=float(raw["explained_within_sd"]),
        surface_sd_c=float(readings["surface_c"]["sd"]),
        frost_sd_fraction=float(readings["frost_s"]["sd_fraction"]),
        frost_sd_min_s=float(readings["frost_s"]["sd_min_s"]),
        sites=raw["sites"],
    )


@dataclass(frozen=True)
class Reading:
    """`kind` "surface_c": the surface at `value` °C after `coolant_s` of coolant; "frost_s": the first visible
    frost `value` seconds into the application (`coolant_s` unused)."""

    kind: str
    value: float
    coolant_s: float = 0.0
    site: str = "forearm"

    @property
    def sd(self) -> float:
        s = settings()
        if self.kind == "surface_c":
            return s.surface_sd_c
        return max(s.frost_sd_fraction * self.value, s.frost_sd_min_s)


def _number(name: str, value: Any) -> float:
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ReadingError(name, "must be a number")
    if not low <= value <= high:
        raise ReadingError(name, f"must be between {low:g} and {high:g}")
    return float(value)


def checked(reading: Reading) -> Reading:
    """The reading, or `ReadingError` naming its field."""
    if reading.kind not in KINDS:
        raise ReadingError("kind", f"must be one of {', '.join(KINDS)}")
    if reading.site not in settings().sites:
        raise ReadingError("site", f"must be one of {', '.join(settings().sites)}")
    if reading.kind == "surface_c":
        _number("coolant_s", reading.coolant_s)
        _number("surface_c", reading.value)
    else:
        _number("frost_s", reading.value)
    return reading


def grid(data: DoseData | None = None) -> FloatArray:
    """The coefficients the posterior is computed on: log-spaced over the cited range."""
    h = (data or load()).coolant_h
    return np.geomspace(h.low, h.high, settings().grid_points)


def site_scenario(site: str, data: DoseData | None = None) -> Scenario:
    """The column a reading's site runs on: the coolant's stand-in, without blood flow for a phantom."""
    data = data or load()
    base = scenario(data.stand_in.zone, data.stand_in.skin, data)
    return base if settings().sites[site]["perfusion"] else replace(base, perfusion_w_m3k=0.0)


@lru_cache(maxsize=8)
def surface_runs(site: str) -> tuple[FloatArray, tuple[tuple[FloatArray, FloatArray], ...]]:
    """For every h of the grid: the surface temperature over `RUN_S` of coolant on the site's column. Stored
    beside the dwell table (`tablecache`: a file per data and engine version), so that a fresh process reads
    them instead of solving 49 runs (about 1.5 s)."""
    path = tablecache.directory() / f"calibration-{tablecache.version()}-{site}.npz"
    try:
        with np.load(path) as stored:
            count = int(stored["count"])
            return stored["h"], tuple((stored[f"t{j}"], stored[f"s{j}"]) for j in range(count))
    except (OSError, ValueError, KeyError):
        pass
    h, runs = _solve_surface_runs(site)
    arrays: dict[str, Any] = {"h": h, "count": np.array(len(runs))}
    arrays |= {f"t{j}": t for j, (t, _) in enumerate(runs)} | {f"s{j}": v for j, (_, v) in enumerate(runs)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp.npz")  # atomic: written apart, then renamed
        np.savez(str(temporary), **arrays)
        temporary.replace(path)
    except OSError:
        pass  # an unwritable cache costs the next process the runs
    return h, runs


def _solve_surface_runs(site: str) -> tuple[FloatArray, tuple[tuple[FloatArray, FloatArray], ...]]:
    data = load()
    base = site_scenario(site, data)
    runs = []
    for h in grid(data):
        s = replace(base, coolant_h_w_m2k=float(h))
        col = column(s)
        run = expose(
            s, col, resting_state(s, col), [Phase(RUN_S, True)], dt_s=FIRST_DT_S, growth=GROWTH, dt_max_s=DT_MAX_S
        )
        runs.append((run.time_s, run.surface_c))
    return grid(data), tuple(runs)


def predicted(reading: Reading) -> FloatArray:
    """The engine's figure for the reading at every h of the grid (`RUN_S` when no frost within the run)."""
    _, runs = surface_runs(reading.site)
    liquidus = load().liquidus_c.value
    if reading.kind == "surface_c":
        return np.array([np.interp(reading.coolant_s, t, surface) for t, surface in runs])
    crossings = [first_crossing(t, surface, liquidus, falling=True) for t, surface in runs]
    return np.array([RUN_S if c is None else c for c in crossings])


@dataclass
class Posterior:
    """The coefficient's posterior on the grid, its median and 90 % interval, and the readings flagged."""

    h_w_m2k: list[float]
    density: list[float]  # per unit of log h, normalised
    median_w_m2k: float
    low_w_m2k: float  # 5th percentile
    high_w_m2k: float  # 95th
    used: int
    flagged: list[int] = field(default_factory=list)  # indices of the readings no h in the range explains
    calibrated: bool = False

    def quantile(self, q: float | FloatArray) -> Any:
        """The coefficient at cumulative probability `q` (inverse of the posterior's CDF, linear in log h)."""
        log_h = np.log(self.h_w_m2k)
        cdf = _cdf(log_h, np.asarray(self.density))
        return np.exp(np.interp(q, cdf, log_h))

    def as_dict(self) -> dict[str, Any]:
        return {
            "h_w_m2k": self.h_w_m2k,
            "density": self.density,
            "median_w_m2k": self.median_w_m2k,
            "low_w_m2k": self.low_w_m2k,
            "high_w_m2k": self.high_w_m2k,
            "readings_used": self.used,
            "flagged": self.flagged,
            "calibrated": self.calibrated,
        }


def _cdf(log_h: FloatArray, density: FloatArray) -> FloatArray:
    steps = 0.5 * (density[1:] + density[:-1]) * np.diff(log_h)
    cdf = np.concatenate(([0.0], np.cumsum(steps)))
    return cdf / cdf[-1]


def explained(reading: Reading, figures: FloatArray) -> bool:
    """Whether some h of the range brings the engine within `explained_within_sd` SDs of the reading (between
    grid points the figure is monotone in h, so the grid's neighbours bracket it)."""
    gap = (figures - reading.value) / reading.sd
    within = settings().explained_within_sd
    return bool(np.any(np.abs(gap) <= within) or (gap.min() < 0 < gap.max()))


def posterior(readings: list[Reading]) -> Posterior:
    """The coefficient's posterior given the readings (the prior alone when there are none, marked uncalibrated);
    readings no coefficient in the range explains are flagged and left out."""
    h = grid()
    log_h = np.log(h)
    log_like = np.zeros_like(h)
    flagged: list[int] = []
    for index, reading in enumerate(readings):
        figures = predicted(checked(reading))
        if not explained(reading, figures):
            flagged.append(index)
            continue
        log_like += -0.5 * ((figures - reading.value) / reading.sd) ** 2
    density = np.exp(log_like - log_like.max())
    density /= float(np.sum(0.5 * (density[1:] + density[:-1]) * np.diff(log_h)))
    used = len(readings) - len(flagged)
    result = Posterior(
        h_w_m2k=[float(v) for v in h],
        density=[float(v) for v in density],
        median_w_m2k=0.0,
        low_w_m2k=0.0,
        high_w_m2k=0.0,
        used=used,
        flagged=flagged,
        calibrated=used > 0,
    )
    low, median, high = result.quantile(np.array([0.05, 0.5, 0.95]))
    result.low_w_m2k, result.median_w_m2k, result.high_w_m2k = float(low), float(median), float(high)
    return result
