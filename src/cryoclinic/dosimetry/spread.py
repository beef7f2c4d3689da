"""The finite applicator: a 2D axisymmetric run of one zone's column under a contact disc, for the hold that
brings the lethal isotherm to the target depth on the axis, the ice's lateral spread beyond the disc's edge,
and the thaw after the applicator is lifted. The 1D column is the wide-contact limit; a small applicator
loses heat sideways, so it needs a longer hold and thaws faster."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import enthalpy2d
from .enthalpy1d import FloatArray, Surface
from .model import Scenario, column, first_crossing, resting_state

SPREAD_DT_S = 0.25
# Depth nodes grow 15 % a node (1.08 for the dwell): the 2D cost grows with the square of the bandwidth. The
# wide-contact limit beside it (`answers.freeze_once`) runs on the same nodes, so that their difference is the
# lateral loss and not a difference of grids.
DEPTH_GROWTH = 1.15
THAW_WINDOW_S = 600.0


@dataclass(frozen=True)
class Spread:
    hold_s: float | None
    axis_reached_mm: float
    ice_depth_mm: float
    ice_radius_mm: float
    lateral_spread_mm: float  # ice beyond the applicator's edge, on the surface
    lethal_radius_mm: float  # the lethal isotherm's radius on the surface at the end of the hold
    thaw_s: float | None  # from lifting the applicator until no ice is left


def radial_nodes(contact_radius_m: float, outer_m: float) -> FloatArray:
    """Uniform a/6 spacing to 2a, then growing by 15 % a node to the outer radius."""
    nodes = list(np.linspace(0.0, 2 * contact_radius_m, 13))
    step = contact_radius_m / 6
    while nodes[-1] < outer_m:
        step *= 1.15
        nodes.append(nodes[-1] + step)
    return np.array(nodes)


def _spread_at(
    result: enthalpy2d.Result2D,
    at: int,
    hold: float | None,
    thaw_s: float | None,
    s: Scenario,
    a_m: float,
    isotherm_c: float,
) -> Spread:
    ice_radius = float(result.surface_isotherm_radius_m[s.liquidus_c][at])
    return Spread(
        hold_s=hold,
        axis_reached_mm=float(result.axis_isotherm_depth_m[isotherm_c][at] * 1e3),
        ice_depth_mm=float(result.axis_isotherm_depth_m[s.liquidus_c][at] * 1e3),
        ice_radius_mm=ice_radius * 1e3,
        lateral_spread_mm=max(ice_radius - a_m, 0.0) * 1e3,
        lethal_radius_mm=float(result.surface_isotherm_radius_m[isotherm_c][at] * 1e3),
        thaw_s=thaw_s,
    )


@lru_cache(maxsize=256)
def finite_applicator(
    s: Scenario, contact_radius_m: float, target_m: float, isotherm_c: float, max_hold_s: float, thaw: bool = True
) -> Spread:
    """The hold under a disc of `contact_radius_m` for `isotherm_c` to reach `target_m` on the axis (None when
    it does not within `max_hold_s`), the ice at that moment and, with `thaw`, the thaw after lifting."""
    col = column(s, growth=DEPTH_GROWTH)
    r = radial_nodes(contact_radius_m, max(4 * contact_radius_m, 10e-3))

    def run(duration_s: float, schedule: list[tuple[float, float, bool]] | None) -> enthalpy2d.Result2D:
        return enthalpy2d.solve(
            r,
            col.depth_m,
            col.tissue,
            Surface(h_w_m2k=s.coolant_h_w_m2k, t_coolant_c=s.coolant_c),
            contact_radius_m=contact_radius_m,
            initial_c=resting_state(s, col),
            duration_s=duration_s,
            dt_s=SPREAD_DT_S,
            h_air_w_m2k=s.air_h_w_m2k,
            t_air_c=s.air_c,
            deep_c=s.core_c,
            schedule=schedule,
            isotherms_c=(s.liquidus_c, isotherm_c),
        )

    freeze = run(max_hold_s, None)
    hold = first_crossing(freeze.time_s, freeze.axis_isotherm_depth_m[isotherm_c], target_m, falling=False)
    if hold is None or not thaw:
        end = len(freeze.time_s) - 1 if hold is None else int(np.searchsorted(freeze.time_s, hold))
        return _spread_at(freeze, end, hold, None, s, contact_radius_m, isotherm_c)
    both = run(hold + THAW_WINDOW_S, [(0.0, hold, True)])
    thawed = np.flatnonzero((both.time_s > hold) & (both.frozen_volume_m3 <= 1e-15))
    thaw_s = float(both.time_s[thawed[0]] - hold) if thawed.size else None
    at = int(np.argmin(np.abs(both.time_s - hold)))
    return _spread_at(both, at, hold, thaw_s, s, contact_radius_m, isotherm_c)
