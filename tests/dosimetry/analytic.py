"""Analytic solutions the engine is checked against (test inputs, not medical claims)."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq
from scipy.special import erf, erfc, erfcx  # erfcx(β) = exp(β²) erfc(β), stable for large β


def neumann_lambda(
    k_s: float, k_l: float, c_s: float, c_l: float, latent: float, t_surface: float, t_melt: float, t_initial: float
) -> float:
    """Root of the two-phase Neumann freezing condition (Carslaw & Jaeger 1959, §11.2); front X = 2λ√(α_s t)."""
    alpha_s, alpha_l = k_s / c_s, k_l / c_l
    nu = math.sqrt(alpha_s / alpha_l)

    def residual(lam: float) -> float:
        solid = math.exp(-(lam**2)) / erf(lam)
        liquid = (
            (k_l / k_s)
            * nu
            * (t_melt - t_initial)
            / (t_melt - t_surface)
            * math.exp(-(lam**2) * nu**2)
            / erfc(lam * nu)
        )
        return solid + liquid - lam * math.sqrt(math.pi) * latent / (c_s * (t_melt - t_surface))

    return float(brentq(residual, 1e-6, 5.0))


def neumann_front_m(lam: float, k_s: float, c_s: float, time_s: float) -> float:
    return 2 * lam * math.sqrt(k_s / c_s * time_s)


def steady_frozen_depth_m(
    k_f: float, k_u: float, perfusion_w_m3k: float, t_surface: float, t_melt: float, t_arterial: float
) -> float:
    """Frozen slab conducting linearly, perfused tissue below decaying as exp(-m z), m = √(w/k_u); fluxes match."""
    m = math.sqrt(perfusion_w_m3k / k_u)
    return k_f * (t_melt - t_surface) / (k_u * m * (t_arterial - t_melt))


def convective_surface_c(t_initial: float, t_fluid: float, h: float, k: float, c: float, time_s: float) -> float:
    """Surface of a semi-infinite solid suddenly exposed to a fluid (Carslaw & Jaeger 1959, §2.7; Incropera
    Eq. 5.60): θ = 1 − exp(β²) erfc(β), β = h √(α t) / k."""
    beta = h * math.sqrt(k / c * time_s) / k
    return t_initial + (t_fluid - t_initial) * (1.0 - float(erfcx(beta)))


def neumann_temperature_c(
    depth_m: np.ndarray,
    time_s: float,
    lam: float,
    k_s: float,
    k_l: float,
    c_s: float,
    c_l: float,
    t_surface: float,
    t_melt: float,
    t_initial: float,
) -> np.ndarray:
    """The two-phase Neumann temperature field: erf profile in the solid, erfc profile in the liquid."""
    alpha_s, alpha_l = k_s / c_s, k_l / c_l
    nu = math.sqrt(alpha_s / alpha_l)
    front = 2 * lam * math.sqrt(alpha_s * time_s)
    solid = t_surface + (t_melt - t_surface) * erf(depth_m / (2 * math.sqrt(alpha_s * time_s))) / erf(lam)
    liquid = t_initial - (t_initial - t_melt) * erfc(depth_m / (2 * math.sqrt(alpha_l * time_s))) / erfc(lam * nu)
    return np.where(depth_m < front, solid, liquid)
