"""1D (depth) Pennes bioheat equation with freezing, solved by the enthalpy method.

Unknown: volumetric enthalpy H (J/m^3) per node, with H = 0 at the solidus. Heat capacity is
`c_frozen` below the solidus, `c_unfrozen` above the liquidus and a linear blend between; the latent
heat per volume is released uniformly over the freezing range. Perfusion w*(T_a - T) and metabolic
heat q_m are scaled by the unfrozen fraction: full above the liquidus, none below the solidus (frozen).

Time stepping is backward Euler. Each step is iterated with the conservative linearisation of
Voller & Swaminathan (1991, Numer. Heat Transfer B 19:175, doi:10.1080/10407799108944962):
H^{k+1} = H^k + dH/dT(T^k) (T^{k+1} - T^k), a tridiagonal solve per iteration
(scipy.linalg.solve_banded), conductivity and perfusion lagged at T^k. The grid may be non-uniform;
node 0 is the surface, nodes are the centres of their control volumes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.linalg import solve_banded

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


class _Props:
    def __init__(self, tissue: Tissue, n: int) -> None:
        def arr(value: ArrayLike) -> FloatArray:
            return np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()

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
        self.range = self.t_l - self.t_s
        self.h_liquidus = 0.5 * (self.c_f + self.c_u) * self.range + self.latent

    def fraction_unfrozen(self, t: FloatArray) -> FloatArray:
        return np.clip((t - self.t_s) / self.range, 0.0, 1.0)

    def enthalpy(self, t: FloatArray) -> FloatArray:
        x = t - self.t_s
        xm = np.clip(x, 0.0, self.range)
        mushy = self.c_f * xm + (self.c_u - self.c_f) * xm**2 / (2 * self.range) + self.latent * xm / self.range
        return np.where(
            x <= 0, self.c_f * x, np.where(x >= self.range, self.h_liquidus + self.c_u * (x - self.range), mushy)
        )

    def temperature(self, h: FloatArray) -> FloatArray:
        a = (self.c_u - self.c_f) / (2 * self.range)
        b = self.c_f + self.latent / self.range
        hm = np.clip(h, 0.0, self.h_liquidus)
        x_mushy = 2 * hm / (b + np.sqrt(b * b + 4 * a * hm))
        x = np.where(
            h <= 0, h / self.c_f, np.where(h >= self.h_liquidus, self.range + (h - self.h_liquidus) / self.c_u, x_mushy)
        )
        return self.t_s + x

    def capacity(self, t: FloatArray) -> FloatArray:
        """dH/dT, the apparent heat capacity (latent heat spread over the range)."""
        phi = self.fraction_unfrozen(t)
        mushy = (t > self.t_s) & (t < self.t_l)
        return self.c_f + (self.c_u - self.c_f) * phi + np.where(mushy, self.latent / self.range, 0.0)

    def conductivity(self, t: FloatArray) -> FloatArray:
        phi = self.fraction_unfrozen(t)
        return self.k_f + (self.k_u - self.k_f) * phi


def _volumes(z: FloatArray) -> FloatArray:
    faces = np.concatenate(([z[0]], 0.5 * (z[1:] + z[:-1]), [z[-1]]))
    return np.diff(faces)


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
    and times then end at that step)."""
    z = np.asarray(depth_m, dtype=float)
    n = z.size
    if n < 3 or z[0] != 0.0 or np.any(np.diff(z) <= 0):
        raise ValueError("depth_m must start at 0 and increase strictly, with at least 3 nodes.")
    if dt_s <= 0 or duration_s <= 0:
        raise ValueError("dt_s and duration_s must be positive.")
    check_schedule(schedule)
    props = _Props(tissue, n)
    volume = _volumes(z)
    dz = np.diff(z)
    t = np.broadcast_to(np.asarray(initial_c, dtype=float), (n,)).copy()
    times, step_sizes = time_grid(
        duration_s, dt_s, schedule_breaks(schedule), growth=dt_growth, dt_max_s=dt_max_s
    )

    def boundary(step: int) -> Surface | None:
        return surface if contact_on(schedule, times[step], times[step + 1]) else surface_off

    fixed = np.zeros(n, dtype=bool)
    first = boundary(0)
    if first is not None and first.temperature_c is not None:
        fixed[0] = True
        t[0] = first.temperature_c
    if deep_c is not None:
        fixed[-1] = True
        t[-1] = deep_c
    h = props.enthalpy(t)
    h_start = h.copy()
    fields = np.empty((times.size, n))
    fields[0] = t
    frozen = np.empty(times.size)
    frozen[0] = float(np.sum(volume * (1.0 - props.fraction_unfrozen(t))))
    boundary_in = source_in = 0.0
    iterations: list[int] = []
    for step, dt in enumerate(step_sizes):
        surface_now = boundary(step)
        fixed[0] = surface_now is not None and surface_now.temperature_c is not None
        if surface_now is not None and surface_now.temperature_c is not None and t[0] != surface_now.temperature_c:
            t[0] = surface_now.temperature_c
            h_fixed = float(props.enthalpy(t)[0])
            boundary_in += volume[0] * (h_fixed - h[0])
            h[0] = h_fixed
        free = ~fixed
        h_old = h.copy()
        t_iter, h_iter = t.copy(), h.copy()
        iteration = 0
        while True:
            iteration += 1
            k = props.conductivity(t_iter)
            k_face = 2 * k[1:] * k[:-1] / (k[1:] + k[:-1])
            g = k_face / dz  # face conductance, W/m^2K
            cap = props.capacity(t_iter)
            alive = props.fraction_unfrozen(t_iter)
            perf = props.perfusion * alive
            diag = volume * cap / dt + perf * volume
            rhs = volume * (cap * t_iter - (h_iter - h_old)) / dt + volume * (
                perf * props.t_arterial + alive * props.metabolic
            )
            diag[:-1] += g
            diag[1:] += g
            upper = -g.copy()
            lower = -g.copy()
            if surface_now is not None and surface_now.h_w_m2k is not None and surface_now.t_coolant_c is not None:
                diag[0] += surface_now.h_w_m2k
                rhs[0] += surface_now.h_w_m2k * surface_now.t_coolant_c
            for i in np.flatnonzero(fixed):
                diag[i], rhs[i] = 1.0, t[i]
                if i > 0:
                    lower[i - 1] = 0.0
                    rhs[i - 1] += g[i - 1] * t[i]
                    upper[i - 1] = 0.0
                if i < n - 1:
                    upper[i] = 0.0
                    rhs[i + 1] += g[i] * t[i]
                    lower[i] = 0.0
            ab = np.zeros((3, n))
            ab[0, 1:] = upper
            ab[1] = diag
            ab[2, :-1] = lower
            t_new = solve_banded((1, 1), ab, rhs)
            h_next = h_iter + cap * (t_new - t_iter)
            change = float(np.max(np.abs(h_next - h_iter)[free]))
            h_iter = h_next
            t_iter = np.where(fixed, t, props.temperature(h_next))
            if change < tol_j_m3 or iteration >= max_iterations:
                break
        iterations.append(iteration)
        flux_in = 0.0
        if fixed[0]:
            flux_in += g[0] * (t[0] - t_new[1])
        elif surface_now is not None and surface_now.h_w_m2k is not None and surface_now.t_coolant_c is not None:
            flux_in += surface_now.h_w_m2k * (surface_now.t_coolant_c - t_new[0])
        if fixed[-1]:
            flux_in += g[-1] * (t[-1] - t_new[-2])
        boundary_in += flux_in * dt
        sources = volume * (perf * (props.t_arterial - t_new) + alive * props.metabolic)
        source_in += float(np.sum(sources[free])) * dt
        h = np.where(fixed, props.enthalpy(t), h_iter)
        t = t_iter
        fields[len(iterations)] = t
        frozen[len(iterations)] = float(np.sum(volume * (1.0 - props.fraction_unfrozen(t))))
        if stop_surface_at_c is not None and t[0] <= stop_surface_at_c:
            break
    done = len(iterations) + 1
    times, fields, frozen = times[:done], fields[:done], frozen[:done]
    return Result(
        depth_m=z,
        time_s=times,
        temperature_c=fields,
        isotherm_depth_m={iso: isotherm_depths(z, fields, iso) for iso in isotherms_c},
        frozen_thickness_m=frozen,
        surface_freeze_time_s=_first_crossing(times, fields[:, 0], float(props.t_l[0])),
        enthalpy_change_j_m2=float(np.sum(volume * (h - h_start))),
        boundary_heat_in_j_m2=boundary_in,
        source_heat_in_j_m2=source_in,
        iterations=iterations,
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
    depths = np.zeros(temperature_c.shape[0])
    for j, row in enumerate(temperature_c):
        if row[0] > isotherm_c:
            continue
        above = np.flatnonzero(row > isotherm_c)
        if above.size == 0:
            depths[j] = depth_m[-1]
            continue
        i = above[0]
        t0, t1 = row[i - 1], row[i]
        depths[j] = depth_m[i - 1] + (isotherm_c - t0) / (t1 - t0) * (depth_m[i] - depth_m[i - 1])
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
