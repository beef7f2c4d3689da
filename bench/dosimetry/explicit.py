"""The baseline for the 1D solver's speed: a plain explicit enthalpy solver, compiled with Numba.

Forward Euler on the enthalpy, H_i += dt / V_i (q_{i-1/2} - q_{i+1/2}), T from H after every step, face
conductivity the harmonic mean of the two nodes' k(T), the surface and deep nodes held: what one writes first.
The tissue curves H(T), T(H), k(T) are the engine's own (`cryoclinic.dosimetry.kernels`), so only the
discretisation in time and the face conductance differ. The step is 0.9 of the stability limit
dz^2 min(c) / (2 max(k)) (the freezing range's apparent capacity is far larger and never limits it).
Not product code: it holds the implicit solver to "no slower than the obvious compiled alternative".
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

from cryoclinic.dosimetry.kernels import conductivity, enthalpy, temperature, unfrozen_fraction


@numba.njit(cache=True)
def march(
    nodes: int,
    depth_m: float,
    k_frozen: float,
    k_unfrozen: float,
    c_frozen: float,
    c_unfrozen: float,
    latent: float,
    t_solidus: float,
    t_liquidus: float,
    surface_c: float,
    initial_c: float,
    duration_s: float,
    record_every_s: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """The frozen thickness (m) every `record_every_s`, their times, and the number of steps taken."""
    dz = depth_m / (nodes - 1)
    volume = np.full(nodes, dz)
    volume[0] = volume[-1] = dz / 2
    stable_s = dz * dz * min(c_frozen, c_unfrozen) / (2 * max(k_frozen, k_unfrozen))
    per_record = int(math.ceil(record_every_s / (0.9 * stable_s)))
    dt = record_every_s / per_record
    records = int(round(duration_s / record_every_s))
    t = np.full(nodes, initial_c)
    t[0] = surface_c
    h = np.empty(nodes)
    for i in range(nodes):
        h[i] = enthalpy(t[i], c_frozen, c_unfrozen, latent, t_solidus, t_liquidus)
    flux = np.empty(nodes - 1)
    times = np.zeros(records + 1)
    frozen = np.zeros(records + 1)
    for i in range(nodes):
        frozen[0] += volume[i] * (1.0 - unfrozen_fraction(t[i], t_solidus, t_liquidus))
    for record in range(1, records + 1):
        for _ in range(per_record):
            for i in range(nodes - 1):
                ka = conductivity(t[i], k_frozen, k_unfrozen, t_solidus, t_liquidus)
                kb = conductivity(t[i + 1], k_frozen, k_unfrozen, t_solidus, t_liquidus)
                flux[i] = 2.0 * ka * kb / (ka + kb) * (t[i] - t[i + 1]) / dz
            for i in range(1, nodes - 1):
                h[i] += dt * (flux[i - 1] - flux[i]) / volume[i]
                t[i] = temperature(h[i], c_frozen, c_unfrozen, latent, t_solidus, t_liquidus)
        times[record] = record * record_every_s
        for i in range(nodes):
            frozen[record] += volume[i] * (1.0 - unfrozen_fraction(t[i], t_solidus, t_liquidus))
    return times, frozen, records * per_record
