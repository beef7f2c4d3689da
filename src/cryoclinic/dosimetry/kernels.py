"""The compiled core of the enthalpy solvers (Numba, cached on disk): the tissue's curves, the face conductance,
and the whole 1D time loop with its Thomas solves.

Curves per node (see `enthalpy1d`): enthalpy H(T) with H = 0 at the solidus, capacity c_frozen below the
solidus, c_unfrozen above the liquidus, a linear blend between plus the latent heat spread over the range;
conductivity blended the same way by the unfrozen fraction.

Face conductance. Between two nodes of one material the heat flow is exact for any temperature-dependent k when
it is written with the Kirchhoff potential U(T) = ∫ k dT: q = (U(T_a) − U(T_b)) / dz, i.e. k taken as its mean
over [T_b, T_a] (the chord). A harmonic mean of the two nodes' k instead treats a node in the freezing range as
unfrozen up to the face, which starves the front of the frozen side's conductivity and makes it lag (1.5–2.5 %
at 401 nodes on the Neumann problem with a −20 °C surface, 0.3–0.6 % with the chord). Between two materials
(layers), each side's chord is taken over the same interval and the two are combined harmonically, which is
the classical layered-wall conductance when neither side changes phase. The chord depends on the unknown
temperatures, so it is lagged like the capacity in the Voller–Swaminathan iteration: the matrix stays
symmetric, and at convergence the flux is the Kirchhoff one.

Numba's first compilation in a fresh environment takes a few seconds; it is cached next to this file.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

INSULATED, FIXED, CONVECTIVE = 0, 1, 2  # surface boundary kinds per step


@numba.njit(cache=True, inline="always")
def unfrozen_fraction(t: float, ts: float, tl: float) -> float:
    if t <= ts:
        return 0.0
    if t >= tl:
        return 1.0
    return (t - ts) / (tl - ts)


@numba.njit(cache=True, inline="always")
def enthalpy(t: float, cf: float, cu: float, latent: float, ts: float, tl: float) -> float:
    x, width = t - ts, tl - ts
    if x <= 0.0:
        return cf * x
    if x >= width:
        return 0.5 * (cf + cu) * width + latent + cu * (x - width)
    return cf * x + (cu - cf) * x * x / (2.0 * width) + latent * x / width


@numba.njit(cache=True, inline="always")
def temperature(h: float, cf: float, cu: float, latent: float, ts: float, tl: float) -> float:
    width = tl - ts
    h_liquidus = 0.5 * (cf + cu) * width + latent
    if h <= 0.0:
        return ts + h / cf
    if h >= h_liquidus:
        return ts + width + (h - h_liquidus) / cu
    a = (cu - cf) / (2.0 * width)
    b = cf + latent / width
    return ts + 2.0 * h / (b + math.sqrt(b * b + 4.0 * a * h))


@numba.njit(cache=True, inline="always")
def capacity_at(t: float, phi: float, cf: float, cu: float, latent: float, ts: float, tl: float) -> float:
    """dH/dT, the apparent heat capacity (latent heat spread over the range), given the unfrozen fraction."""
    mushy = latent / (tl - ts) if ts < t < tl else 0.0
    return cf + (cu - cf) * phi + mushy


@numba.njit(cache=True, inline="always")
def capacity(t: float, cf: float, cu: float, latent: float, ts: float, tl: float) -> float:
    return capacity_at(t, unfrozen_fraction(t, ts, tl), cf, cu, latent, ts, tl)


@numba.njit(cache=True, inline="always")
def conductivity(t: float, kf: float, ku: float, ts: float, tl: float) -> float:
    return kf + (ku - kf) * unfrozen_fraction(t, ts, tl)


@numba.njit(cache=True, inline="always")
def chord_conductivity(ta: float, tb: float, kf: float, ku: float, ts: float, tl: float) -> float:
    """The mean of k(T) over [ta, tb]: (U(tb) − U(ta)) / (tb − ta), summed piece by piece (no cancellation)."""
    lo, hi = min(ta, tb), max(ta, tb)
    if hi <= ts:
        return kf
    if lo >= tl:
        return ku
    if hi - lo <= 0.0:
        return conductivity(lo, kf, ku, ts, tl)
    integral = 0.0
    if lo < ts:
        integral += kf * (min(hi, ts) - lo)
    m1, m2 = max(lo, ts), min(hi, tl)
    if m2 > m1:
        integral += (m2 - m1) * (kf + (ku - kf) * (0.5 * (m1 + m2) - ts) / (tl - ts))
    if hi > tl:
        integral += ku * (hi - max(lo, tl))
    return integral / (hi - lo)


@numba.njit(cache=True, inline="always")
def face_conductivity(
    ta: float, tb: float, kfa: float, kua: float, tsa: float, tla: float, kfb: float, kub: float, tsb: float, tlb: float
) -> float:
    """Conductivity of the face between nodes a and b: each side's chord over [ta, tb], combined harmonically."""
    ka = chord_conductivity(ta, tb, kfa, kua, tsa, tla)
    if kfa == kfb and kua == kub and tsa == tsb and tla == tlb:
        return ka
    kb = chord_conductivity(ta, tb, kfb, kub, tsb, tlb)
    return 2.0 * ka * kb / (ka + kb)


@numba.njit(cache=True)
def enthalpy_of(
    t: FloatArray, cf: FloatArray, cu: FloatArray, latent: FloatArray, ts: FloatArray, tl: FloatArray
) -> FloatArray:
    out = np.empty(t.size)
    for i in range(t.size):
        out[i] = enthalpy(t[i], cf[i], cu[i], latent[i], ts[i], tl[i])
    return out


@numba.njit(cache=True)
def temperature_of(
    h: FloatArray, cf: FloatArray, cu: FloatArray, latent: FloatArray, ts: FloatArray, tl: FloatArray
) -> FloatArray:
    out = np.empty(h.size)
    for i in range(h.size):
        out[i] = temperature(h[i], cf[i], cu[i], latent[i], ts[i], tl[i])
    return out


@numba.njit(cache=True)
def capacity_of(
    t: FloatArray, cf: FloatArray, cu: FloatArray, latent: FloatArray, ts: FloatArray, tl: FloatArray
) -> FloatArray:
    out = np.empty(t.size)
    for i in range(t.size):
        out[i] = capacity(t[i], cf[i], cu[i], latent[i], ts[i], tl[i])
    return out


@numba.njit(cache=True)
def unfrozen_fraction_of(t: FloatArray, ts: FloatArray, tl: FloatArray) -> FloatArray:
    out = np.empty(t.size)
    for i in range(t.size):
        out[i] = unfrozen_fraction(t[i], ts[i], tl[i])
    return out


@numba.njit(cache=True)
def conductivity_of(t: FloatArray, kf: FloatArray, ku: FloatArray, ts: FloatArray, tl: FloatArray) -> FloatArray:
    out = np.empty(t.size)
    for i in range(t.size):
        out[i] = conductivity(t[i], kf[i], ku[i], ts[i], tl[i])
    return out


@numba.njit(cache=True)
def face_conductivity_of(
    a: IntArray, b: IntArray, t: FloatArray, kf: FloatArray, ku: FloatArray, ts: FloatArray, tl: FloatArray
) -> FloatArray:
    """Face conductivities between nodes a[j] and b[j] (flat indices into the per-node arrays)."""
    out = np.empty(a.size)
    for j in range(a.size):
        i, k = a[j], b[j]
        out[j] = face_conductivity(t[i], t[k], kf[i], ku[i], ts[i], tl[i], kf[k], ku[k], ts[k], tl[k])
    return out


@numba.njit(cache=True, inline="always")
def _thomas(
    lower: FloatArray, diag: FloatArray, upper: FloatArray, rhs: FloatArray, sweep: FloatArray, out: FloatArray
) -> None:
    """Solve the tridiagonal system (lower[i] = A[i+1, i], upper[i] = A[i, i+1]) into `out`, `sweep` as scratch
    (diagonally dominant here: no pivoting needed)."""
    n = diag.size
    inverse = 1.0 / diag[0]
    sweep[0] = upper[0] * inverse
    out[0] = rhs[0] * inverse
    for i in range(1, n):
        inverse = 1.0 / (diag[i] - lower[i - 1] * sweep[i - 1])
        sweep[i] = upper[i] * inverse if i < n - 1 else 0.0
        out[i] = (rhs[i] - lower[i - 1] * out[i - 1]) * inverse
    for i in range(n - 2, -1, -1):
        out[i] -= sweep[i] * out[i + 1]


@numba.njit(cache=True)
def march_1d(
    volume: FloatArray,
    dz: FloatArray,
    kf: FloatArray,
    ku: FloatArray,
    cf: FloatArray,
    cu: FloatArray,
    latent: FloatArray,
    ts: FloatArray,
    tl: FloatArray,
    perfusion: FloatArray,
    metabolic: FloatArray,
    t_arterial: float,
    initial: FloatArray,
    step_s: FloatArray,
    surface_kind: IntArray,
    surface_a: FloatArray,
    surface_b: FloatArray,
    deep_fixed: bool,
    deep_c: float,
    tol_j_m3: float,
    max_iterations: int,
    stop_surface_at_c: float,
) -> tuple[FloatArray, FloatArray, IntArray, int, float, float, float]:
    """Backward Euler steps of the 1D enthalpy problem, each iterated (Voller–Swaminathan) until max |ΔH| over
    the free nodes < tol. Per step the surface is insulated, held at surface_a (FIXED) or convective with
    h = surface_a, T = surface_b (CONVECTIVE). Stops after the step whose surface is at or below
    `stop_surface_at_c` (NaN: never). Returns the fields and frozen thickness at each step end (rows beyond the
    last step unused), the iterations per step, the steps done and the ledger: enthalpy change, heat in through
    the boundaries, heat in from sources (J/m²)."""
    n, steps = volume.size, step_s.size
    t = initial.copy()
    if surface_kind[0] == FIXED:
        t[0] = surface_a[0]
    if deep_fixed:
        t[n - 1] = deep_c
    h = enthalpy_of(t, cf, cu, latent, ts, tl)
    h_start = h.copy()
    same = np.empty(n - 1, dtype=np.bool_)  # one material on both sides of the face: a single chord
    for i in range(n - 1):
        same[i] = kf[i] == kf[i + 1] and ku[i] == ku[i + 1] and ts[i] == ts[i + 1] and tl[i] == tl[i + 1]
    fields = np.empty((steps + 1, n))
    frozen = np.zeros(steps + 1)
    iterations = np.zeros(steps, dtype=np.int64)
    fields[0] = t
    for i in range(n):
        frozen[0] += volume[i] * (1.0 - unfrozen_fraction(t[i], ts[i], tl[i]))
    g, cap, alive, perf = np.empty(n - 1), np.empty(n), np.empty(n), np.empty(n)
    diag, rhs, upper, lower, scratch = np.empty(n), np.empty(n), np.empty(n - 1), np.empty(n - 1), np.empty(n)
    t_new, h_old, t_iter, h_iter = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    inverse_dz = 1.0 / dz
    rate = np.empty(n)  # volume / dt
    boundary_in = source_in = 0.0
    done = 0
    for step in range(steps):
        dt, kind = step_s[step], surface_kind[step]
        surface_fixed = kind == FIXED
        if surface_fixed and t[0] != surface_a[step]:
            t[0] = surface_a[step]
            held = enthalpy(t[0], cf[0], cu[0], latent[0], ts[0], tl[0])
            boundary_in += volume[0] * (held - h[0])
            h[0] = held
        first_free = 1 if surface_fixed else 0
        last_free = n - 2 if deep_fixed else n - 1
        for i in range(n):
            rate[i] = volume[i] / dt
        h_old[:] = h
        t_iter[:] = t
        h_iter[:] = h
        iteration = 0
        while True:
            iteration += 1
            for i in range(n - 1):
                k = chord_conductivity(t_iter[i], t_iter[i + 1], kf[i], ku[i], ts[i], tl[i])
                if not same[i]:
                    k_below = chord_conductivity(t_iter[i], t_iter[i + 1], kf[i + 1], ku[i + 1], ts[i + 1], tl[i + 1])
                    k = 2.0 * k * k_below / (k + k_below)
                g[i] = k * inverse_dz[i]
            for i in range(n):
                phi = unfrozen_fraction(t_iter[i], ts[i], tl[i])
                cap[i] = capacity_at(t_iter[i], phi, cf[i], cu[i], latent[i], ts[i], tl[i])
                alive[i] = phi
                perf[i] = perfusion[i] * phi
                storage = rate[i] * cap[i]
                diag[i] = storage + perf[i] * volume[i]
                rhs[i] = storage * t_iter[i] - rate[i] * (h_iter[i] - h_old[i])
                rhs[i] += volume[i] * (perf[i] * t_arterial + phi * metabolic[i])
            for i in range(n - 1):
                diag[i] += g[i]
                diag[i + 1] += g[i]
                upper[i] = -g[i]
                lower[i] = -g[i]
            if kind == CONVECTIVE:
                diag[0] += surface_a[step]
                rhs[0] += surface_a[step] * surface_b[step]
            if surface_fixed:
                diag[0], rhs[0] = 1.0, t[0]
                rhs[1] += g[0] * t[0]
                upper[0] = lower[0] = 0.0
            if deep_fixed:
                diag[n - 1], rhs[n - 1] = 1.0, t[n - 1]
                rhs[n - 2] += g[n - 2] * t[n - 1]
                upper[n - 2] = lower[n - 2] = 0.0
            _thomas(lower, diag, upper, rhs, scratch, t_new)
            change = 0.0
            for i in range(n):
                h_next = h_iter[i] + cap[i] * (t_new[i] - t_iter[i])
                if first_free <= i <= last_free:
                    change = max(change, abs(h_next - h_iter[i]))
                    t_iter[i] = temperature(h_next, cf[i], cu[i], latent[i], ts[i], tl[i])
                h_iter[i] = h_next
            if change < tol_j_m3 or iteration >= max_iterations:
                break
        iterations[step] = iteration
        flux_in = 0.0
        if surface_fixed:
            flux_in += g[0] * (t[0] - t_new[1])
        elif kind == CONVECTIVE:
            flux_in += surface_a[step] * (surface_b[step] - t_new[0])
        if deep_fixed:
            flux_in += g[n - 2] * (t[n - 1] - t_new[n - 2])
        boundary_in += flux_in * dt
        sources = 0.0
        for i in range(first_free, last_free + 1):
            sources += volume[i] * (perf[i] * (t_arterial - t_new[i]) + alive[i] * metabolic[i])
        source_in += sources * dt
        for i in range(n):
            if first_free <= i <= last_free:
                h[i] = h_iter[i]
                t[i] = t_iter[i]
            else:
                h[i] = enthalpy(t[i], cf[i], cu[i], latent[i], ts[i], tl[i])
            frozen[step + 1] += volume[i] * (1.0 - unfrozen_fraction(t[i], ts[i], tl[i]))
        fields[step + 1] = t
        done = step + 1
        if t[0] <= stop_surface_at_c:
            break
    change_total = 0.0
    for i in range(n):
        change_total += volume[i] * (h[i] - h_start[i])
    return fields, frozen, iterations, done, change_total, boundary_in, source_in
