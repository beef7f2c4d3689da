"""2D axisymmetric (r, z) Pennes bioheat equation with freezing, solved by the enthalpy method.

The physics, time stepping and iteration are those of `enthalpy1d` (backward Euler, the conservative
Voller–Swaminathan iteration, face conductance — the Kirchhoff chord of `kernels` — and perfusion lagged, the
same `Tissue` and enthalpy curves),
on a tensor grid of nodes r (0..R) x z (0..Z), both possibly non-uniform; each node is the centre of its
control volume, a ring. Properties vary with depth only (one value per depth node, or scalars).

Boundaries. Surface z = 0: inside the contact disc r <= a, a fixed temperature (the surface nodes with
r <= a are held, so the disc edge is resolved to half a cell: put a node at r = a) or convection
(h, T_coolant) over the exact part of each surface ring inside the disc; outside it, convection to room
air (h_air, 0 = insulated). While a schedule has the contact lifted, the whole surface sees the air.
Side r = R insulated; deep end z = Z at a fixed temperature or insulated.

Linear algebra. Each iteration solves a symmetric positive definite 5-point system by a banded Cholesky
factorisation (`banded.band_cholesky_solve`, Numba), the unknowns ordered along the shorter grid side so the
bandwidth is min(nr, nz): cost ~ nodes x bandwidth^2, well below SuperLU's for grids up to ~100 nodes a side.
Fields are kept only at the requested output times; axis, surface and frozen-volume records at every step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .enthalpy1d import FloatArray, Surface, Tissue, _first_crossing, _Props, _volumes, isotherm_depths
from .stepping import Schedule, check_schedule, contact_on, schedule_breaks, time_grid


@dataclass
class Result2D:
    radius_m: FloatArray
    depth_m: FloatArray
    time_s: FloatArray  # every step end, first 0
    output_time_s: FloatArray
    temperature_c: FloatArray  # shape (len(output_time_s), len(depth_m), len(radius_m))
    axis_isotherm_depth_m: dict[float, FloatArray]  # per time_s, on the axis r = 0
    surface_isotherm_radius_m: dict[float, FloatArray]  # per time_s, on the surface z = 0
    surface_frozen_radius_m: FloatArray  # per time_s: frozen fraction x ring width summed along the surface
    frozen_volume_m3: FloatArray  # per time_s: sum of frozen fraction x control volume
    surface_centre_c: FloatArray  # per time_s
    surface_freeze_time_s: float | None  # the surface centre first reaches the liquidus
    contact_on: list[bool]  # per step
    surface_heat_in_w: FloatArray  # per step: mean heat flow into the tissue through z = 0
    enthalpy_change_j: float
    boundary_heat_in_j: float
    source_heat_in_j: float
    iterations: list[int] = field(default_factory=list)

    @property
    def energy_error_j(self) -> float:
        """Discrete energy balance: enthalpy change minus heat that came in through boundaries and sources."""
        return self.enthalpy_change_j - self.boundary_heat_in_j - self.source_heat_in_j


class _Grid:
    """Control volumes and face conductance factors on the (nz, nr) node array (flat node p = j * nr + i)."""

    def __init__(self, r: FloatArray, z: FloatArray) -> None:
        self.nr, self.nz, self.n = r.size, z.size, r.size * z.size
        self.ring_faces = np.concatenate(([0.0], 0.5 * (r[1:] + r[:-1]), [r[-1]]))
        self.ring = np.pi * np.diff(self.ring_faces**2)
        dzv = _volumes(z)
        self.volume = (dzv[:, None] * self.ring[None, :]).ravel()
        self.geo_r = 2 * np.pi * self.ring_faces[1:-1][None, :] * dzv[:, None] / np.diff(r)[None, :]
        self.geo_z = self.ring[None, :] / np.diff(z)[:, None]
        self.by_radius = self.nr <= self.nz  # order the unknowns along the shorter side: bandwidth min(nr, nz)
        node = np.arange(self.n, dtype=np.int64).reshape(self.nz, self.nr)
        self.radial_faces = (node[:, :-1].ravel(), node[:, 1:].ravel())  # (inner, outer) node of each face
        self.axial_faces = (node[:-1].ravel(), node[1:].ravel())  # (upper, lower)

    def disc_overlap(self, radius_m: float) -> FloatArray:
        """Area of each surface ring inside the disc r <= radius_m."""
        return np.pi * np.diff(np.minimum(self.ring_faces, radius_m) ** 2)

    def solve(self, diag: FloatArray, off_r: FloatArray, off_z: FloatArray, rhs: FloatArray) -> FloatArray:
        """Solve the 5-point system: diagonal (nz, nr), radial couplings (nz, nr - 1), axial (nz - 1, nr)."""
        if self.by_radius:
            width, near, far, order = self.nr, off_r, off_z, (lambda a: a)
        else:
            width, near, far, order = self.nz, off_z.T, off_r.T, (lambda a: a.T)
        lines = self.n // width
        band = np.zeros((self.n, width + 1))
        band[:, 0] = order(diag).ravel()
        band[:, 1].reshape(lines, width)[:, :-1] = near
        band[: self.n - width, width] = far.ravel()
        from .banded import band_cholesky_solve  # Numba, imported on first use (see enthalpy1d._kernels)

        x = band_cholesky_solve(band, np.ascontiguousarray(order(rhs)).ravel())
        return np.ascontiguousarray(order(x.reshape(lines, width))).ravel()


class _Links:
    """Couplings to held (fixed-temperature) nodes for one boundary state: cut from the matrix, moved to the rhs."""

    def __init__(self, fixed: NDArray[np.bool_], value: FloatArray) -> None:
        self.cut_r = ~(fixed[:, :-1] | fixed[:, 1:])
        self.cut_z = ~(fixed[:-1] | fixed[1:])
        self.r_from_lo = (fixed[:, :-1] & ~fixed[:, 1:]) * value[:, :-1]
        self.r_from_hi = (fixed[:, 1:] & ~fixed[:, :-1]) * value[:, 1:]
        self.z_from_lo = (fixed[:-1] & ~fixed[1:]) * value[:-1]
        self.z_from_hi = (fixed[1:] & ~fixed[:-1]) * value[1:]
        self.any = bool(fixed.any())
        self.fixed = fixed

    def add_held(self, rhs: FloatArray, g_r: FloatArray, g_z: FloatArray) -> None:
        if self.any:
            rhs[:, 1:] += g_r * self.r_from_lo
            rhs[:, :-1] += g_r * self.r_from_hi
            rhs[1:] += g_z * self.z_from_lo
            rhs[:-1] += g_z * self.z_from_hi

    def held_heat(self, t: FloatArray, g_r: FloatArray, g_z: FloatArray) -> tuple[float, float]:
        """Heat flow (W) from held surface nodes (row 0) and held deep nodes (last row) into free neighbours."""
        f = self.fixed
        step_r = t[:, :-1] - t[:, 1:]
        r_in = g_r * ((f[:, :-1] & ~f[:, 1:]) * step_r - (f[:, 1:] & ~f[:, :-1]) * step_r)
        z_down = g_z * (f[:-1] & ~f[1:]) * (t[:-1] - t[1:])
        z_up = g_z * (f[1:] & ~f[:-1]) * (t[1:] - t[:-1])
        surface = float(r_in[0].sum() + z_down[0].sum())
        return surface, float(z_up[-1].sum())


def _flat_tissue(tissue: Tissue, nz: int, nr: int) -> Tissue:
    """The tissue with every per-depth property repeated across the radius (node p = j * nr + i)."""
    values: dict[str, ArrayLike] = {}
    for f in dataclasses.fields(tissue):
        if f.name == "t_arterial_c":
            continue
        value = np.asarray(getattr(tissue, f.name), dtype=float)
        if value.ndim > 1 or value.size not in (1, nz):
            raise ValueError(f"{f.name} must be a scalar or one value per depth node ({nz}).")
        values[f.name] = np.repeat(np.broadcast_to(value, (nz,)), nr)
    return dataclasses.replace(tissue, **values)  # type: ignore[arg-type]


def _initial_field(initial_c: ArrayLike, nz: int, nr: int) -> FloatArray:
    value = np.asarray(initial_c, dtype=float)
    if value.ndim == 1:
        value = value[:, None]
    try:
        return np.broadcast_to(value, (nz, nr)).ravel().copy()
    except ValueError:
        raise ValueError(f"initial_c must be a scalar, one value per depth node or a ({nz}, {nr}) field.") from None


def _check_grid(r: FloatArray, z: FloatArray) -> None:
    if z.ndim != 1 or z.size < 3 or z[0] != 0.0 or np.any(np.diff(z) <= 0):
        raise ValueError("depth_m must start at 0 and increase strictly, with at least 3 nodes.")
    if r.ndim != 1 or r.size < 2 or r[0] != 0.0 or np.any(np.diff(r) <= 0):
        raise ValueError("radius_m must start at 0 and increase strictly, with at least 2 nodes.")


def solve(
    radius_m: ArrayLike,
    depth_m: ArrayLike,
    tissue: Tissue,
    contact: Surface,
    *,
    contact_radius_m: float,
    initial_c: ArrayLike,
    duration_s: float,
    dt_s: float,
    h_air_w_m2k: float = 0.0,
    t_air_c: float = 20.0,
    deep_c: float | None = None,
    schedule: Schedule | None = None,
    output_times_s: ArrayLike = (),
    isotherms_c: tuple[float, ...] = (0.0, -20.0, -40.0),
    tol_j_m3: float = 1.0,
    max_iterations: int = 100,
) -> Result2D:
    """Solve on nodes `radius_m` x `depth_m` (each increasing from 0). `deep_c=None` is an insulated deep end;
    `schedule=None` keeps the contact on throughout. Fields are kept at `output_times_s` only."""
    r, z = np.asarray(radius_m, dtype=float), np.asarray(depth_m, dtype=float)
    _check_grid(r, z)
    if dt_s <= 0 or duration_s <= 0:
        raise ValueError("dt_s and duration_s must be positive.")
    if contact_radius_m <= 0:
        raise ValueError("contact_radius_m must be positive.")
    if h_air_w_m2k < 0:
        raise ValueError("h_air_w_m2k must be non-negative.")
    outputs = np.unique(np.asarray(output_times_s, dtype=float))
    if outputs.size and (outputs[0] < 0 or outputs[-1] > duration_s):
        raise ValueError("output_times_s must lie within [0, duration_s].")
    check_schedule(schedule)
    grid = _Grid(r, z)
    nr, nz, n = grid.nr, grid.nz, grid.n
    props = _Props(_flat_tissue(tissue, nz, nr), n)
    volume = grid.volume
    times, steps = time_grid(duration_s, dt_s, [*schedule_breaks(schedule), *outputs])
    out_index = np.array([int(np.argmin(np.abs(times - t))) for t in outputs], dtype=int)

    inside = grid.disc_overlap(contact_radius_m)
    air_g = h_air_w_m2k * grid.ring
    held = np.zeros((nz, nr), dtype=bool)
    if contact.temperature_c is None:
        h_c, t_c = float(contact.h_w_m2k or 0.0), float(contact.t_coolant_c or 0.0)
        on_g = h_c * inside + h_air_w_m2k * (grid.ring - inside)
        on_q = h_c * inside * t_c + h_air_w_m2k * (grid.ring - inside) * t_air_c
    else:
        held[0] = r <= contact_radius_m * (1 + 1e-12)
        on_g = np.where(held[0], 0.0, air_g)
        on_q = on_g * t_air_c
    surface_g, surface_q = {True: on_g, False: air_g}, {True: on_q, False: air_g * t_air_c}
    value_2d = np.zeros((nz, nr))
    value_2d[held] = contact.temperature_c or 0.0
    deep = np.zeros((nz, nr), dtype=bool)
    if deep_c is not None:
        deep[-1] = True
        value_2d[-1] = deep_c
    fixed_value = value_2d.ravel()

    t = _initial_field(initial_c, nz, nr)
    fixed = (deep | (held & contact_on(schedule, times[0], times[1]))).ravel()
    t[fixed] = fixed_value[fixed]
    h = props.enthalpy(t)
    h_start = h.copy()
    fields = np.empty((outputs.size, nz, nr))
    axis = np.empty((times.size, nz))
    top = np.empty((times.size, nr))
    frozen = np.empty(times.size)
    frozen_radius = np.empty(times.size)
    ring_width = np.diff(grid.ring_faces)

    def record(j: int, temp: FloatArray) -> None:
        square = temp.reshape(nz, nr)
        axis[j], top[j] = square[:, 0], square[0]
        ice = 1.0 - props.fraction_unfrozen(temp)
        frozen[j] = float(volume @ ice)
        frozen_radius[j] = float(ring_width @ ice[:nr])
        fields[out_index == j] = square

    record(0, t)
    boundary_in = source_in = 0.0
    surface_w = np.empty(steps.size)
    on_steps: list[bool] = []
    iterations: list[int] = []
    for step, dt in enumerate(steps):
        on = contact_on(schedule, times[step], times[step + 1])
        on_steps.append(on)
        fixed2 = deep | (held & on)
        fixed = fixed2.ravel()
        jump = 0.0
        newly = fixed & (t != fixed_value)
        if newly.any():
            t[newly] = fixed_value[newly]
            h_new = props.enthalpy(t)
            jump = float(volume[newly] @ (h_new[newly] - h[newly]))
            h[newly] = h_new[newly]
        free = ~fixed
        links = _Links(fixed2, value_2d)
        g_surface, q_surface = surface_g[on], surface_q[on]
        h_old = h.copy()
        t_iter, h_iter = t.copy(), h.copy()
        iteration = 0
        while True:
            iteration += 1
            g_r = grid.geo_r * props.face_conductivity(*grid.radial_faces, t_iter).reshape(nz, nr - 1)
            g_z = grid.geo_z * props.face_conductivity(*grid.axial_faces, t_iter).reshape(nz - 1, nr)
            cap = props.capacity(t_iter)
            alive = props.fraction_unfrozen(t_iter)
            perf = props.perfusion * alive
            storage = volume * cap / dt
            diag = (storage + perf * volume).reshape(nz, nr)
            diag[:, :-1] += g_r
            diag[:, 1:] += g_r
            diag[:-1] += g_z
            diag[1:] += g_z
            diag[0] += g_surface
            rhs = (storage * t_iter - volume * (h_iter - h_old) / dt).reshape(nz, nr)
            rhs += (volume * (perf * props.t_arterial + alive * props.metabolic)).reshape(nz, nr)
            rhs[0] += q_surface
            links.add_held(rhs, g_r, g_z)
            diag_flat, rhs_flat = diag.ravel(), rhs.ravel()
            diag_flat[fixed] = storage[fixed]
            rhs_flat[fixed] = storage[fixed] * fixed_value[fixed]
            t_new = grid.solve(diag, -g_r * links.cut_r, -g_z * links.cut_z, rhs)
            t_new[fixed] = fixed_value[fixed]
            h_next = h_iter + cap * (t_new - t_iter)
            change = float(np.max(np.abs(h_next - h_iter)[free]))
            h_iter = h_next
            t_iter = np.where(fixed, t, props.temperature(h_next))
            if change < tol_j_m3 or iteration >= max_iterations:
                break
        iterations.append(iteration)
        surface_held, deep_held = links.held_heat(t_new.reshape(nz, nr), g_r, g_z)
        convective = float(np.sum(np.where(fixed2[0], 0.0, q_surface - g_surface * t_new[:nr])))
        surface_heat = (surface_held + convective) * dt + jump
        boundary_in += surface_heat + deep_held * dt
        surface_w[step] = surface_heat / dt
        sources = volume * (perf * (props.t_arterial - t_new) + alive * props.metabolic)
        source_in += float(np.sum(sources[free])) * dt
        h = np.where(fixed, props.enthalpy(t), h_iter)
        t = t_iter
        record(step + 1, t)
    return Result2D(
        radius_m=r,
        depth_m=z,
        time_s=times,
        output_time_s=times[out_index],
        temperature_c=fields,
        axis_isotherm_depth_m={iso: isotherm_depths(z, axis, iso) for iso in isotherms_c},
        surface_isotherm_radius_m={iso: isotherm_depths(r, top, iso) for iso in isotherms_c},
        surface_frozen_radius_m=frozen_radius,
        frozen_volume_m3=frozen,
        surface_centre_c=axis[:, 0].copy(),
        surface_freeze_time_s=_first_crossing(times, axis[:, 0], float(props.t_l[0])),
        contact_on=on_steps,
        surface_heat_in_w=surface_w,
        enthalpy_change_j=float(volume @ (h - h_start)),
        boundary_heat_in_j=boundary_in,
        source_heat_in_j=source_in,
        iterations=iterations,
    )
