"""The questions a practitioner asks, answered from the cited data: how long may the coolant rest on one spot
before the skin starts to freeze (safe dwell), and how long a hold freezes a lesion to its depth plus a margin
(with the thaw that follows). Every answer carries the range that the uncertain data allow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from . import bounds, table
from .data import DoseData, load
from .enthalpy1d import FloatArray, isotherm_depths
from .model import (
    ISOTHERMS_C,
    Column,
    Phase,
    Scenario,
    clear_resting_states,
    column,
    expose,
    first_crossing,
    ranges,
    resting_state,
    scenario,
)
from .spread import DEPTH_GROWTH, finite_applicator
from .table import Dwell

# The dwell runs from 0.05 s (the measured coolant) to 3 s (film boiling): its steps start at 1 ms after each
# change of contact and lengthen by 2 % a step (to 50 ms on, 250 ms in air), resolving every dwell to about the
# same fraction of itself; tests/dosimetry/test_answers.py refines them fourfold.
DWELL_DT_S = 0.001
DWELL_GROWTH = 1.02
DWELL_DT_MAX_S = 0.05
HOLD_DT_S = 0.1
HOLD_CHUNK_S = 10.0
THAW_MAX_S = 1800.0
THAW_CHUNK_S = 30.0
THAW_DT_S = 0.5

# Valid input ranges: what the model was built for (face skin, superficial lesions), not medical limits.
LIMITS: dict[str, tuple[float, float]] = {
    "lesion_depth_mm": (0.1, 5.0),
    "margin_mm": (0.0, 3.0),
    "lesion_diameter_mm": (1.0, 20.0),
    "max_hold_s": (5.0, 180.0),
    "cycles": (1, 3),
    "passes": (0, 30),
    "contact_s": (0.01, 5.0),
    "gap_s": (0.2, 60.0),
}


class InputError(ValueError):
    """Input out of range: names the field and what is valid."""

    def __init__(self, field_name: str, message: str, valid: Any) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message
        self.valid = valid


def check_number(name: str, value: Any) -> float:
    low, high = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise InputError(name, "must be a number", [low, high])
    if not low <= value <= high:
        raise InputError(name, f"must be between {low:g} and {high:g}", [low, high])
    return float(value)


def check_choice(name: str, value: Any, choices: list[str]) -> str:
    if value not in choices:
        raise InputError(name, f"must be one of {', '.join(choices)}", choices)
    return str(value)


def _checked_place(zone: Any, profile: Any, technique: Any, modes: tuple[str, ...], data: DoseData) -> None:
    check_choice("zone", zone, list(data.zones))
    check_choice("skin", profile, list(data.profiles))
    check_choice("technique", technique, [code for code, t in data.techniques.items() if t.mode in modes])


@dataclass(frozen=True)
class Passes:
    """Earlier passes over the same spot: `count` times `contact_s` of coolant, then `gap_s` of air."""

    count: int = 0
    contact_s: float = 0.5
    gap_s: float = 5.0


def clear_caches() -> None:
    """Forget every answer computed in this process (after the data file changes, or to time a cold
    computation); the table cache on disk is kept (it is keyed by the data and engine versions)."""
    for cached in (table.versioned, surface_freeze_s, freeze_once, finite_applicator):
        cached.cache_clear()
    clear_resting_states()


def compute_versioned() -> table.Versioned:
    """Compute what `table.versioned` stores: the measurements held against the coolant's range, and the dwell
    table when the range holds them all."""
    data = load()
    found = bounds.bounds(data)
    if not all(b.held for b in found):
        return found, None
    coolant = bounds.coolant_range(data, found)
    cells = [_dwell(*place, Passes(), coolant, data) for place in table.places(data)]
    return found, {(c.zone, c.technique, c.skin): c for c in cells}


def coolant_bounds() -> tuple[bounds.Bound, ...]:
    """The measurements that bound the coolant coefficient's range, held against it (see `bounds`)."""
    return table.versioned()[0]


def checked_coolant_range(data: DoseData) -> dict[str, Any]:
    """The coefficient's range and the measurements bounding it, for an answer; raises
    `bounds.RangeContradicted` when the range misses a measurement, so that no answer shows such a range."""
    found = coolant_bounds()
    bounds.check(data, found)
    return bounds.coolant_range(data, found)


@lru_cache(maxsize=4096)
def surface_freeze_s(s: Scenario, passes: Passes = Passes(), max_s: float = 30.0) -> float:
    """Seconds of continuous coolant contact until the surface reaches the liquidus (0.0 when earlier passes
    already froze it; `max_s` when it never does)."""
    col = column(s)
    state = resting_state(s, col)
    if passes.count:
        history = [
            Phase(p, on) for _ in range(passes.count) for p, on in ((passes.contact_s, True), (passes.gap_s, False))
        ]
        before = expose(s, col, state, history, dt_s=DWELL_DT_S, growth=DWELL_GROWTH, dt_max_s=DWELL_DT_MAX_S)
        if np.min(before.surface_c) <= s.liquidus_c:
            return 0.0
        state = before.temperature_c[-1]
    rest = expose(
        s,
        col,
        state,
        [Phase(max_s, True)],
        dt_s=DWELL_DT_S,
        growth=DWELL_GROWTH,
        dt_max_s=DWELL_DT_MAX_S,
        stop_surface_at_c=s.liquidus_c,
    )
    crossing = first_crossing(rest.time_s, rest.surface_c, s.liquidus_c, falling=True)
    return max_s if crossing is None else crossing


def _sensitivity(base: Scenario, spans: dict[str, tuple[float, float]], answer: Any) -> dict[str, list[Any]]:
    return {
        name: [answer(replace(base, **{name: low})), answer(replace(base, **{name: high}))]
        for name, (low, high) in spans.items()
    }


def safe_dwell(zone: str, technique: str, skin: str, *, passes: Passes = Passes(), sensitivity: bool = False) -> Dwell:
    """How long the coolant may rest on one spot before the skin surface starts to freeze (frostbite onset).
    `shortest_s`..`longest_s` spans the coolant coefficient's range; `sensitivity` adds every other datum's.
    Without earlier passes or sensitivity the answer is the dwell table's (cached per data and engine version).
    Raises `bounds.RangeContradicted` when the coolant's range misses a cited measurement."""
    data = load()
    _checked_place(zone, skin, technique, ("moving_contact", "moving_stream"), data)
    check_number("passes", passes.count)
    if passes.count:
        check_number("contact_s", passes.contact_s)
        check_number("gap_s", passes.gap_s)
    coolant = checked_coolant_range(data)
    cells = table.versioned()[1]
    if not passes.count and not sensitivity and cells is not None:
        return replace(cells[(zone, technique, skin)], passes=asdict(passes))
    return _dwell(zone, technique, skin, passes, coolant, data, sensitivity)


def _dwell(
    zone: str,
    technique: str,
    skin: str,
    passes: Passes,
    coolant: dict[str, Any],
    data: DoseData,
    sensitivity: bool = False,
) -> Dwell:
    base = scenario(zone, skin, data)
    spans = ranges(zone, skin, data)
    low_h, high_h = spans["coolant_h_w_m2k"]
    result = Dwell(
        zone=zone,
        skin=skin,
        technique=technique,
        dwell_s=surface_freeze_s(base, passes),
        shortest_s=surface_freeze_s(replace(base, coolant_h_w_m2k=high_h), passes),
        longest_s=surface_freeze_s(replace(base, coolant_h_w_m2k=low_h), passes),
        resting_surface_c=float(resting_state(base, column(base))[0]),
        passes=asdict(passes),
        coolant_range=coolant,
        sources=sorted({*data.coolant_h.sources, *data.liquidus_c.sources, "meng2022", "torvi1994"}),
    )
    if sensitivity:
        result.sensitivity = _sensitivity(base, spans, lambda s: surface_freeze_s(s, passes))
    return result


def dwell_table() -> list[Dwell]:
    """Safe dwell for every zone, cryomassage technique and skin profile (no earlier passes): `table.dwell_table`,
    computed once per data and engine version. Raises `bounds.RangeContradicted` like `safe_dwell`."""
    return table.dwell_table()


@dataclass(frozen=True)
class Lesion:
    depth_mm: float
    margin_mm: float
    diameter_mm: float
    kind: str


@dataclass
class Hold:
    """One freeze: the hold reaching the target (None when it cannot within `max_hold_s`), then the thaw."""

    hold_s: float | None
    reached_mm: float
    ice_depth_mm: float
    thaw_s: float | None
    time_s: list[float]
    isotherm_depth_mm: dict[str, list[float]]
    profiles: list[dict[str, Any]]


def _run_hold(
    s: Scenario, col: Column, state: FloatArray, target_m: float, isotherm_c: float, max_s: float
) -> tuple[FloatArray, FloatArray]:
    """Apply the coolant in chunks until the isotherm reaches `target_m` (or `max_s` passes)."""
    exposures = []
    elapsed = 0.0
    while elapsed < max_s - 1e-9:
        chunk = expose(s, col, state, [Phase(min(HOLD_CHUNK_S, max_s - elapsed), True)], dt_s=HOLD_DT_S)
        chunk.time_s = chunk.time_s + elapsed
        exposures.append(chunk)
        elapsed, state = float(chunk.time_s[-1]), chunk.temperature_c[-1]
        if chunk.isotherm_depth_m(isotherm_c)[-1] >= target_m:
            break
    time_s = np.concatenate([e.time_s[(1 if i else 0) :] for i, e in enumerate(exposures)])
    temperature = np.concatenate([e.temperature_c[(1 if i else 0) :] for i, e in enumerate(exposures)])
    return time_s, temperature


def _thaw(s: Scenario, col: Column, state: FloatArray) -> tuple[float | None, FloatArray]:
    """Room air on the surface until no node is at or below the liquidus: the thaw time and the final field."""
    elapsed = 0.0
    while elapsed < THAW_MAX_S:
        chunk = expose(s, col, state, [Phase(THAW_CHUNK_S, False)], dt_s=THAW_DT_S, air_dt_factor=1.0)
        above = np.flatnonzero(np.min(chunk.temperature_c, axis=1) > s.liquidus_c)
        if above.size:
            return elapsed + float(chunk.time_s[above[0]]), chunk.temperature_c[above[0]]
        elapsed, state = elapsed + THAW_CHUNK_S, chunk.temperature_c[-1]
    return None, state


@lru_cache(maxsize=1024)
def freeze_once(
    s: Scenario, target_mm: float, isotherm_c: float, max_hold_s: float, cycles: int = 1, thaw: bool = True
) -> tuple[Hold, ...]:
    """Freeze–thaw cycles at one spot: each hold lasts until `isotherm_c` reaches `target_mm` (later cycles
    repeat the first cycle's hold), then room air until no ice is left."""
    col = column(s, growth=DEPTH_GROWTH)
    state = resting_state(s, col)
    holds: list[Hold] = []
    hold_s: float | None = None
    for _ in range(cycles):
        stop_m = np.inf if holds else target_mm * 1e-3  # later cycles hold for the first cycle's time
        time_s, temperature = _run_hold(s, col, state, stop_m, isotherm_c, hold_s or max_hold_s)
        depth = isotherm_depths(col.depth_m, temperature, isotherm_c)
        reached_at = first_crossing(time_s, depth, target_mm * 1e-3, falling=False)
        hold_s = hold_s or reached_at
        past = np.flatnonzero(depth >= target_mm * 1e-3)
        end = int(past[0]) if past.size and not holds else len(time_s) - 1
        time_s, temperature, depth = time_s[: end + 1], temperature[: end + 1], depth[: end + 1]
        thaw_s, state = _thaw(s, col, temperature[end]) if thaw else (None, temperature[end])
        picks = sorted({0, end // 4, end // 2, end})
        holds.append(
            Hold(
                hold_s=hold_s if holds else reached_at,
                reached_mm=float(depth[end] * 1e3),
                ice_depth_mm=float(isotherm_depths(col.depth_m, temperature[end:], s.liquidus_c)[0] * 1e3),
                thaw_s=thaw_s,
                time_s=[float(t) for t in time_s],
                isotherm_depth_mm={
                    f"{iso:g}": [float(v) * 1e3 for v in isotherm_depths(col.depth_m, temperature, iso)]
                    for iso in ISOTHERMS_C
                },
                profiles=[
                    {"time_s": float(time_s[j]), "temperature_c": [float(v) for v in temperature[j]]} for j in picks
                ],
            )
        )
        if hold_s is None or not thaw:
            break
    return tuple(holds)


@dataclass
class Freeze:
    """The answer for a lesion. The hold, ice and thaw are those of the finite applicator (the disc covering the
    lesion, 2D); `wide_contact` is the 1D limit of an applicator much wider than the ice, with the isotherm
    curves and temperature profiles over time that the plots show and the sensitivity to every datum."""

    zone: str
    skin: str
    technique: str
    lesion: dict[str, Any]
    isotherm_c: float
    target_mm: float
    hold_s: float | None
    hold_range_s: list[float | None]
    ice_depth_mm: float
    ice_radius_mm: float
    lateral_spread_mm: float
    lethal_radius_mm: float
    thaw_s: float | None
    wide_contact: dict[str, Any]
    cycles: list[dict[str, Any]]
    depth_m: list[float]
    coolant_range: dict[str, Any] = field(default_factory=dict)
    sensitivity: dict[str, list[Any]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def freeze_hold(
    zone: str,
    skin: str,
    lesion: Lesion,
    *,
    technique: str = "ln2_cauterization",
    max_hold_s: float = 120.0,
    cycles: int = 1,
    sensitivity: bool = False,
) -> Freeze:
    """How long to hold the coolant on the lesion (the applicator covering it) so that its lethal isotherm
    reaches the lesion's depth plus the margin; the ice that comes with it and the thaw after. Raises
    `bounds.RangeContradicted` when the coolant coefficient's range misses a cited measurement."""
    data = load()
    _checked_place(zone, skin, technique, ("hold",), data)
    check_number("lesion_depth_mm", lesion.depth_mm)
    check_number("margin_mm", lesion.margin_mm)
    check_number("lesion_diameter_mm", lesion.diameter_mm)
    check_choice("lesion_kind", lesion.kind, list(data.lethal))
    max_hold_s = check_number("max_hold_s", max_hold_s)
    cycles = int(check_number("cycles", cycles))
    coolant = checked_coolant_range(data)
    isotherm = data.lethal[lesion.kind].isotherm
    target_mm = lesion.depth_mm + lesion.margin_mm
    radius_m = lesion.diameter_mm / 2 * 1e-3
    base = scenario(zone, skin, data)
    spans = ranges(zone, skin, data)
    low_h, high_h = spans["coolant_h_w_m2k"]
    holds = freeze_once(base, target_mm, isotherm.value, max_hold_s, cycles)
    finite = finite_applicator(base, radius_m, target_mm * 1e-3, isotherm.value, max_hold_s)

    def finite_hold(s: Scenario) -> float | None:
        return finite_applicator(s, radius_m, target_mm * 1e-3, isotherm.value, max_hold_s, False).hold_s

    def wide_hold(s: Scenario, iso: float = isotherm.value) -> float | None:
        return freeze_once(s, target_mm, iso, max_hold_s, 1, False)[0].hold_s

    result = Freeze(
        zone=zone,
        skin=skin,
        technique=technique,
        lesion=asdict(lesion),
        isotherm_c=isotherm.value,
        target_mm=target_mm,
        hold_s=finite.hold_s,
        hold_range_s=[
            finite_hold(replace(base, coolant_h_w_m2k=high_h)),
            finite_hold(replace(base, coolant_h_w_m2k=low_h)),
        ],
        ice_depth_mm=finite.ice_depth_mm,
        ice_radius_mm=finite.ice_radius_mm,
        lateral_spread_mm=finite.lateral_spread_mm,
        lethal_radius_mm=finite.lethal_radius_mm,
        thaw_s=finite.thaw_s,
        wide_contact={
            "hold_s": holds[0].hold_s,
            "hold_range_s": [
                wide_hold(replace(base, coolant_h_w_m2k=high_h)),
                wide_hold(replace(base, coolant_h_w_m2k=low_h)),
            ],
            "thaw_s": holds[0].thaw_s,
            "ice_depth_mm": holds[0].ice_depth_mm,
        },
        cycles=[asdict(h) for h in holds],
        depth_m=[float(z) for z in column(base, growth=DEPTH_GROWTH).depth_m],
        coolant_range=coolant,
        sources=sorted({*isotherm.sources, *data.coolant_h.sources, "meng2022", "torvi1994", "rabin1998"}),
    )
    if sensitivity:
        result.sensitivity = _sensitivity(base, spans, wide_hold)
        result.sensitivity["isotherm_c"] = [wide_hold(base, isotherm.low), wide_hold(base, isotherm.high)]
    return result
