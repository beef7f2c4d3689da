"""From cited data to a solvable problem: one face zone and skin profile as a layered 1D column, its resting
temperature, and exposures as a sequence of phases (coolant on the surface, or room air).

A `Scenario` holds every number the physics needs, flat, so that a sensitivity run is `dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from .data import DoseData, load
from .enthalpy1d import FloatArray, Surface, Tissue, isotherm_depths, solve

ISOTHERMS_C = (0.0, -20.0, -40.0, -50.0)


@dataclass(frozen=True)
class Scenario:
    epidermis_mm: float
    dermis_mm: float
    fat_mm: float
    k_epidermis_w_mk: float
    k_dermis_w_mk: float
    k_fat_w_mk: float
    c_epidermis_j_m3k: float
    c_dermis_j_m3k: float
    c_fat_j_m3k: float
    perfusion_w_m3k: float
    liquidus_c: float
    solidus_c: float
    latent_j_m3: float
    frozen_k_ratio: float
    frozen_c_ratio: float
    coolant_c: float
    coolant_h_w_m2k: float
    air_c: float
    air_h_w_m2k: float
    core_c: float


# Which data quantity gives each field's cited range (the zone thicknesses are handled apart).
_QUANTITY_OF = {
    "fat_mm": "fat_mm",
    "perfusion_w_m3k": "perfusion",
    "liquidus_c": "liquidus_c",
    "solidus_c": "solidus_c",
    "latent_j_m3": "latent",
    "frozen_k_ratio": "frozen_k_ratio",
    "frozen_c_ratio": "frozen_c_ratio",
    "coolant_c": "coolant_c",
    "coolant_h_w_m2k": "coolant_h",
    "air_c": "air_c",
    "air_h_w_m2k": "air_h",
    "core_c": "core_c",
}


def scenario(zone: str, profile: str, data: DoseData | None = None) -> Scenario:
    """The central values for a zone and skin profile (codes checked by the caller)."""
    data = data or load()
    thickness = data.zones[zone].profiles[profile]
    values: dict[str, float] = {name: getattr(data, quantity).value for name, quantity in _QUANTITY_OF.items()}
    for layer, spec in data.layers.items():
        values[f"k_{layer}_w_mk"] = spec.k_w_mk.value
        values[f"c_{layer}_j_m3k"] = spec.c_j_m3k.value
    return Scenario(epidermis_mm=thickness.epidermis_mm, dermis_mm=thickness.dermis_mm, **values)


def ranges(zone: str, profile: str, data: DoseData | None = None) -> dict[str, tuple[float, float]]:
    """Each uncertain field's low and high end: cited spreads, and mean ± SD for the zone's thicknesses
    (the epidermis down to its histological thickness)."""
    data = data or load()
    thickness = data.zones[zone].profiles[profile]
    spans = {
        "epidermis_mm": (data.epidermis_low_mm.value, thickness.epidermis_mm + thickness.epidermis_sd_mm),
        "dermis_mm": (
            max(thickness.dermis_mm - thickness.dermis_sd_mm, 0.1),
            thickness.dermis_mm + thickness.dermis_sd_mm,
        ),
    }
    for name, quantity in _QUANTITY_OF.items():
        q = getattr(data, quantity)
        spans[name] = (q.low, q.high)
    for layer, spec in data.layers.items():
        spans[f"k_{layer}_w_mk"] = (spec.k_w_mk.low, spec.k_w_mk.high)
        spans[f"c_{layer}_j_m3k"] = (spec.c_j_m3k.low, spec.c_j_m3k.high)
    return {name: span for name, span in spans.items() if span[0] != span[1]}


SCENARIO_FIELDS = tuple(f.name for f in fields(Scenario))


@dataclass(frozen=True)
class Column:
    depth_m: FloatArray
    tissue: Tissue
    layer_of_node: tuple[str, ...]


def column(s: Scenario, first_cell_m: float = 5e-6, growth: float = 1.08) -> Column:
    """Nodes from the surface down to the bottom of the fat, finest at the surface, growing geometrically."""
    total_m = (s.epidermis_mm + s.dermis_mm + s.fat_mm) * 1e-3
    steps = [first_cell_m]
    while sum(steps) < total_m:
        steps.append(steps[-1] * growth)
    z = np.concatenate(([0.0], np.cumsum(steps)))
    z *= total_m / z[-1]
    bounds = np.array([s.epidermis_mm, s.epidermis_mm + s.dermis_mm]) * 1e-3
    layer = np.where(z < bounds[0], 0, np.where(z < bounds[1], 1, 2))
    names = ("epidermis", "dermis", "fat")
    k = np.array([s.k_epidermis_w_mk, s.k_dermis_w_mk, s.k_fat_w_mk])[layer]
    c = np.array([s.c_epidermis_j_m3k, s.c_dermis_j_m3k, s.c_fat_j_m3k])[layer]
    perfusion = np.where(layer == 0, 0.0, s.perfusion_w_m3k)  # the epidermis has no blood vessels
    tissue = Tissue(
        k_frozen_w_mk=k * s.frozen_k_ratio,
        k_unfrozen_w_mk=k,
        c_frozen_j_m3k=c * s.frozen_c_ratio,
        c_unfrozen_j_m3k=c,
        latent_j_m3=s.latent_j_m3,
        t_solidus_c=s.solidus_c,
        t_liquidus_c=s.liquidus_c,
        perfusion_w_m3k=perfusion,
        t_arterial_c=s.core_c,
    )
    return Column(z, tissue, tuple(names[i] for i in layer))


_RESTING: dict[tuple[Scenario, bytes], FloatArray] = {}


def resting_state(s: Scenario, col: Column) -> FloatArray:
    """The steady temperature with room air on the surface and the core temperature below the fat (kept per
    scenario and grid: it does not depend on the coolant, which every range and bisection varies)."""
    key = (replace(s, coolant_c=0.0, coolant_h_w_m2k=0.0), col.depth_m.tobytes())
    if key not in _RESTING:
        if len(_RESTING) >= 1024:
            _RESTING.clear()
        _RESTING[key] = solve(
            col.depth_m,
            col.tissue,
            Surface(h_w_m2k=s.air_h_w_m2k, t_coolant_c=s.air_c),
            initial_c=s.core_c,
            duration_s=2e5,
            dt_s=2e4,
            deep_c=s.core_c,
            isotherms_c=(),
        ).temperature_c[-1]
    return _RESTING[key].copy()


def clear_resting_states() -> None:
    _RESTING.clear()


@dataclass(frozen=True)
class Phase:
    """`duration_s` of coolant on the surface (`on=True`) or of room air."""

    duration_s: float
    on: bool


@dataclass
class Exposure:
    depth_m: FloatArray
    time_s: FloatArray
    temperature_c: FloatArray
    stopped_early: bool

    @property
    def surface_c(self) -> FloatArray:
        return self.temperature_c[:, 0]

    def isotherm_depth_m(self, isotherm_c: float) -> FloatArray:
        return isotherm_depths(self.depth_m, self.temperature_c, isotherm_c)


def expose(
    s: Scenario,
    col: Column,
    initial_c: FloatArray,
    phases: Sequence[Phase],
    *,
    dt_s: float,
    stop_surface_at_c: float | None = None,
    air_dt_factor: float = 5.0,
    growth: float = 1.0,
    dt_max_s: float | None = None,
) -> Exposure:
    """Run the phases one after another, each starting from the last field; optionally stop at a surface
    temperature. Air phases change slowly and take `air_dt_factor` times longer steps — the reason this chains
    solves instead of passing one `schedule` to the solver, whose phases share a single step. With `growth` > 1
    each phase starts with a step of `dt_s` and lengthens them by that factor up to `dt_max_s` (times
    `air_dt_factor` in air)."""
    times: list[FloatArray] = []
    temperature: list[FloatArray] = []
    start, state = 0.0, np.asarray(initial_c, dtype=float)
    for phase in phases:
        boundary = (s.coolant_h_w_m2k, s.coolant_c) if phase.on else (s.air_h_w_m2k, s.air_c)
        factor = 1.0 if phase.on else air_dt_factor
        result = solve(
            col.depth_m,
            col.tissue,
            Surface(h_w_m2k=boundary[0], t_coolant_c=boundary[1]),
            initial_c=state,
            duration_s=phase.duration_s,
            dt_s=min(dt_s * (factor if growth == 1.0 else 1.0), phase.duration_s),
            deep_c=s.core_c,
            isotherms_c=(),
            stop_surface_at_c=stop_surface_at_c if phase.on else None,
            dt_growth=growth,
            dt_max_s=None if dt_max_s is None else dt_max_s * factor,
        )
        skip = 1 if times else 0
        times.append(start + result.time_s[skip:])
        temperature.append(result.temperature_c[skip:])
        start, state = start + result.time_s[-1], result.temperature_c[-1]
        if result.time_s[-1] < phase.duration_s - 1e-9:
            return Exposure(col.depth_m, np.concatenate(times), np.concatenate(temperature), True)
    return Exposure(col.depth_m, np.concatenate(times), np.concatenate(temperature), False)


def first_crossing(time_s: FloatArray, values: FloatArray, threshold: float, *, falling: bool) -> float | None:
    """First time `values` passes `threshold` (downwards when falling), interpolated between steps."""
    hits = np.flatnonzero(values <= threshold if falling else values >= threshold)
    if hits.size == 0:
        return None
    j = int(hits[0])
    if j == 0:
        return float(time_s[0])
    v0, v1 = values[j - 1], values[j]
    return float(time_s[j - 1] + (threshold - v0) / (v1 - v0) * (time_s[j] - time_s[j - 1]))
