"""1D (depth) Pennes bioheat equation with freezing, solved by the enthalpy method.

Unknown: volumetric enthalpy H (J/m^3) per node, with H = 0 at the solidus. Heat capacity is
`c_frozen` below the solidus, `c_unfrozen` above the liquidus and a linear blend between; the latent
heat per volume is released uniformly over the freezing range. Perfusion w*(T_a - T) and metabolic
heat q_m are scaled by the unfrozen fraction: full above the liquidus, none below the solidus (frozen).

Time stepping is backward Euler. Each step is iterated with the conservative linearisation of
Voller & Swaminathan (1991, Numer. Heat Transfer B 19:175, doi:10.1080/10407799108944962):
H^{k+1} = H^k + dH/dT(T^k) (T^{k+1} - T^k), a tridiagonal (Thomas) solve per iteration, face conductance
(the Kirchhoff chord, see `kernels`) and perfusion lagged at T^k. The whole time loop is compiled
(`kernels.march_1d`, Numba); this module prepares its inputs and reads its results. The grid may be
non-uniform; node 0 is the surface, nodes are the centres of their control volumes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .stepping import Schedule, check_schedule, contact_on, schedule_breaks, time_grid

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Tissue:
    """Thermal properties, scalars or one value per node (test inputs here, medical data elsewhere)."""

    k_frozen_w_mk: ArrayLike
    k_unfrozen_w_mk: ArrayLike
    c_frozen_j_m3k: ArrayLike
    c_unfrozen_j_m3k: ArrayLike
    latent_j_m3: ArrayLike
    t_solidus_c: ArrayLike
    t_liquidus_c: ArrayLike
    perfusion_w_m3k: ArrayLike = 0.0
    t_arterial_c: float = 37.0
    metabolic_w_m3: ArrayLike = 0.0


@dataclass(frozen=True)
class Surface:
    """Depth-0 boundary: a fixed temperature, or convection to a coolant (set h and t_coolant)."""

    temperature_c: float | None = None
    h_w_m2k: float | None = None
    t_coolant_c: float | None = None

    def __post_init__(self) -> None:
        fixed = self.temperature_c is not None
        convective = self.h_w_m2k is not None and self.t_coolant_c is not None
        if fixed == convective:
            raise ValueError("Surface needs either temperature_c, or both h_w_m2k and t_coolant_c.")
        if self.h_w_m2k is not None and self.h_w_m2k < 0:
            raise ValueError("h_w_m2k must be non-negative.")


@dataclass
class Result:
    depth_m: FloatArray
    time_s: FloatArray
    temperature_c: FloatArray  # shape (len(time_s), len(depth_m))
    isotherm_depth_m: dict[float, FloatArray]
    frozen_thickness_m: FloatArray  # sum of frozen fraction x cell size: the front of the enthalpy method
    surface_freeze_time_s: float | None
    enthalpy_change_j_m2: float
    boundary_heat_in_j_m2: float
    source_heat_in_j_m2: float
    iterations: list[int] = field(default_factory=list)

    @property
    def energy_error_j_m2(self) -> float:
        """Discrete energy balance: enthalpy change minus heat that came in through boundaries and sources."""
        return self.enthalpy_change_j_m2 - self.boundary_heat_in_j_m2 - self.source_heat_in_j_m2


def _kernels() -> Any:
    """The compiled kernels, imported on first use: Numba's import alone costs ~0.4 s, which a process that
    answers from the table cache (`tablecache`) never needs to pay."""
    from . import kernels

    return kernels


class _Props:
    """Per-node properties and their curves (computed by the compiled kernels, one place per formula)."""

    def __init__(self, tissue: Tissue, n: int) -> None:
        def arr(value: ArrayLike) -> FloatArray:  # a writable copy: one compiled signature for every input
            return np.array(np.broadcast_to(np.asarray(value, dtype=float), (n,)))

        self.k_f, self.k_u = arr(tissue.k_frozen_w_mk), arr(tissue.k_unfrozen_w_mk)
        self.c_f, self.c_u = arr(tissue.c_frozen_j_m3k), arr(tissue.c_unfrozen_j_m3k)
        self.latent = arr(tissue.latent_j_m3)
        self.t_s, self.t_l = arr(tissue.t_solidus_c), arr(tissue.t_liquidus_c)
        if np.any(self.t_l <= self.t_s):
            raise ValueError("t_liquidus_c must be above t_solidus_c.")
        for name, value in (("k", self.k_f), ("k", self.k_u), ("c", self.c_f), ("c", self.c_u)):
            if np.any(value <= 0):
                raise ValueError(f"{name} must be positive.")
        self.perfusion, self.metabolic = arr(tissue.perfusion_w_m3k), arr(tissue.metabolic_w_m3)
        self.t_arterial = float(tissue.t_arterial_c)
        self.curve = (self.c_f, self.c_u, self.latent, self.t_s, self.t_l)

    def fraction_unfrozen(self, t: ArrayLike) -> FloatArray:
        result: FloatArray = _kernels().unfrozen_fraction_of(_floats(t), self.t_s, self.t_l)
        return result

    def enthalpy(self, t: ArrayLike) -> FloatArray:
        result: FloatArray = _kernels().enthalpy_of(_floats(t), *self.curve)
        return result

    def temperature(self, h: ArrayLike) -> FloatArray:
        result: FloatArray = _kernels().temperature_of(_floats(h), *self.curve)
        return result

    def capacity(self, t: ArrayLike) -> FloatArray:
        """dH/dT, the apparent heat capacity (latent heat spread over the range)."""
        result: FloatArray = _kernels().capacity_of(_floats(t), *self.curve)
        return result

    def conductivity(self, t: ArrayLike) -> FloatArray:
        result: FloatArray = _kernels().conductivity_of(_floats(t), self.k_f, self.k_u, self.t_s, self.t_l)
        return result

    def face_conductivity(self, a: NDArray[np.int64], b: NDArray[np.int64], t: ArrayLike) -> FloatArray:
        """Conductivity of the faces between nodes a[j] and b[j]: each side's mean k over [T_a, T_b] (the
        Kirchhoff chord), combined harmonically (see `kernels`)."""
        result: FloatArray = _kernels().face_conductivity_of(a, b, _floats(t), self.k_f, self.k_u, self.t_s, self.t_l)
        return result


def _floats(values: ArrayLike) -> FloatArray:
    floats = np.ascontiguousarray(values, dtype=float)
    return floats if floats.flags.writeable else floats.copy()


def _volumes(z: FloatArray) -> FloatArray:
    faces = np.concatenate(([z[0]], 0.5 * (z[1:] + z[:-1]), [z[-1]]))
    return np.diff(faces)


def _surface_steps(
    surface: Surface, surface_off: Surface | None, schedule: Schedule | None, times: FloatArray
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    """Per step: the surface's kind (insulated, fixed, convective) and its two numbers (T, or h and T)."""
    steps = times.size - 1
    if schedule is None:
        on = np.ones(steps, dtype=bool)
    elif callable(schedule):
        on = np.array([contact_on(schedule, times[j], times[j + 1]) for j in range(steps)], dtype=bool)
    else:
        middle = 0.5 * (times[:-1] + times[1:])
        on = np.zeros(steps, dtype=bool)
        for start, end, applied in schedule:
            if applied:
                on |= (start <= middle) & (middle < end)
    kind = np.empty(steps, dtype=np.int64)
    a, b = np.zeros(steps), np.zeros(steps)
    for state, boundary in ((True, surface), (False, surface_off)):
        chosen = on == state
        if boundary is None:
            kind[chosen] = 0
        elif boundary.temperature_c is not None:
            kind[chosen], a[chosen] = 1, boundary.temperature_c
        else:
            kind[chosen], a[chosen], b[chosen] = 2, float(boundary.h_w_m2k or 0.0), float(boundary.t_coolant_c or 0.0)
    return kind, a, b


def solve(
    depth_m: ArrayLike,
    tissue: Tissue,
    surface: Surface,
    *,
    initial_c: ArrayLike,
    duration_s: float,
    dt_s: float,
    deep_c: float | None = None,
    isotherms_c: tuple[float, ...] = (0.0, -20.0, -40.0),
    tol_j_m3: float = 1.0,
    max_iterations: int = 100,
    schedule: Schedule | None = None,
    surface_off: Surface | None = None,
    stop_surface_at_c: float | None = None,
    dt_growth: float = 1.0,
    dt_max_s: float | None = None,
) -> Result:
    """Solve the 1D problem on nodes `depth_m` (increasing, first 0). `deep_c=None` is an insulated deep end.
    Steps of `dt_s`, or with `dt_growth` > 1 starting at `dt_s` after each phase break and growing by that
    factor up to `dt_max_s` (see `stepping.time_grid`).

    With a `schedule` (see `stepping`), `surface` applies while the contact is on and `surface_off` (None =
    insulated, or room air as a convective Surface) while it is lifted; phase ends become step boundaries.
    With `stop_surface_at_c`, stepping ends early once the surface node reaches that temperature (the fields
    and times then end at that step). The time loop runs compiled (`kernels.march_1d`)."""
    z = np.asarray(depth_m, dtype=float)
    n = z.size
    if n < 3 or z[0] != 0.0 or np.any(np.diff(z) <= 0):
        raise ValueError("depth_m must start at 0 and increase strictly, with at least 3 nodes.")
    if dt_s <= 0 or duration_s <= 0:
        raise ValueError("dt_s and duration_s must be positive.")
    check_schedule(schedule)
    props = _Props(tissue, n)
    volume = _volumes(z)
    initial = np.array(np.broadcast_to(np.asarray(initial_c, dtype=float), (n,)))
    times, step_sizes = time_grid(
        duration_s, dt_s, schedule_breaks(schedule), growth=dt_growth, dt_max_s=dt_max_s
    )
    kind, surface_a, surface_b = _surface_steps(surface, surface_off, schedule, times)
    fields, frozen, iterations, done, change, boundary_in, source_in = _kernels().march_1d(
        volume,
        np.diff(z),
        props.k_f,
        props.k_u,
        props.c_f,
        props.c_u,
        props.latent,
        props.t_s,
        props.t_l,
        props.perfusion,
        props.metabolic,
        props.t_arterial,
        initial,
        step_sizes,
        kind,
        surface_a,
        surface_b,
        deep_c is not None,
        float(deep_c if deep_c is not None else 0.0),
        float(tol_j_m3),
        int(max_iterations),
        math.nan if stop_surface_at_c is None else float(stop_surface_at_c),
    )
    times, fields, frozen = times[: done + 1], fields[: done + 1], frozen[: done + 1]
    return Result(
        depth_m=z,
        time_s=times,
        temperature_c=fields,
        isotherm_depth_m={iso: isotherm_depths(z, fields, iso) for iso in isotherms_c},
        frozen_thickness_m=frozen,
        surface_freeze_time_s=_first_crossing(times, fields[:, 0], float(props.t_l[0])),
        enthalpy_change_j_m2=change,
        boundary_heat_in_j_m2=boundary_in,
        source_heat_in_j_m2=source_in,
        iterations=[int(i) for i in iterations[:done]],
    )


def solve_uniform(
    *,
    k_frozen_w_mk: float,
    k_unfrozen_w_mk: float,
    c_frozen_j_m3k: float,
    c_unfrozen_j_m3k: float,
    latent_j_m3: float,
    t_solidus_c: float,
    t_liquidus_c: float,
    surface_c: float,
    initial_c: float,
    depth_m: float,
    nodes: int,
    duration_s: float,
    dt_s: float,
    perfusion_w_m3k: float = 0.0,
    t_arterial_c: float = 37.0,
    deep_c: float | None = None,
) -> Result:
    """Low-level entry for checks against analytic solutions: uniform properties, fixed surface temperature,
    a uniform grid of `nodes` over `depth_m`, deep end at `deep_c` (or insulated when None)."""
    tissue = Tissue(
        k_frozen_w_mk,
        k_unfrozen_w_mk,
        c_frozen_j_m3k,
        c_unfrozen_j_m3k,
        latent_j_m3,
        t_solidus_c,
        t_liquidus_c,
        perfusion_w_m3k,
        t_arterial_c,
    )
    return solve(
        np.linspace(0.0, depth_m, nodes),
        tissue,
        Surface(temperature_c=surface_c),
        initial_c=initial_c,
        duration_s=duration_s,
        dt_s=dt_s,
        deep_c=deep_c,
    )


def isotherm_depths(depth_m: FloatArray, temperature_c: FloatArray, isotherm_c: float) -> FloatArray:
    """Depth of the isotherm below the surface at each time, by linear interpolation; 0 where the surface is warmer."""
    rows = np.asarray(temperature_c, dtype=float)
    depths = np.zeros(rows.shape[0])
    above = rows > isotherm_c
    reached = ~above[:, 0]
    everywhere = reached & ~above.any(axis=1)
    depths[everywhere] = depth_m[-1]
    inside = np.flatnonzero(reached & ~everywhere)
    i = np.argmax(above[inside], axis=1)
    t0, t1 = rows[inside, i - 1], rows[inside, i]
    z0, z1 = depth_m[i - 1], depth_m[i]
    depths[inside] = z0 + (isotherm_c - t0) / (t1 - t0) * (z1 - z0)
    return depths


def _first_crossing(time_s: FloatArray, surface_c: FloatArray, threshold_c: float) -> float | None:
    """The time the surface first reaches the freezing point (the liquidus), interpolated between steps."""
    hits = np.flatnonzero(surface_c <= threshold_c)
    if hits.size == 0:
        return None
    j = hits[0]
    if j == 0:
        return 0.0
    s0, s1 = surface_c[j - 1], surface_c[j]
    return float(time_s[j - 1] + (s0 - threshold_c) / (s0 - s1) * (time_s[j] - time_s[j - 1]))
