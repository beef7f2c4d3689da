"""The 2D axisymmetric enthalpy engine: against the 1D engine, Carslaw & Jaeger's disc, its own energy ledger.

Properties and boundary values are generic test inputs, not medical claims.
"""

from __future__ import annotations

import numpy as np
import pytest

from cryoclinic.dosimetry import enthalpy1d, enthalpy2d
from cryoclinic.dosimetry.enthalpy1d import Surface, Tissue

K_S, K_L = 2.0, 0.5
C_S, C_L = 1.8e6, 3.6e6
LATENT = 2.5e8


def layered(z: np.ndarray) -> Tissue:
    """Three layers with perfusion and metabolic heat below the top one (generic values)."""
    deep = z > 0.002
    return Tissue(
        k_frozen_w_mk=np.where(deep, 1.8, 2.2),
        k_unfrozen_w_mk=np.where(deep, 0.45, 0.35),
        c_frozen_j_m3k=1.9e6,
        c_unfrozen_j_m3k=np.where(deep, 3.7e6, 3.3e6),
        latent_j_m3=np.where(deep, 2.6e8, 2.0e8),
        t_solidus_c=-1.0,
        t_liquidus_c=np.where(deep, -0.5, -0.6),
        perfusion_w_m3k=np.where(deep, 3e4, 0.0),
        t_arterial_c=37.0,
        metabolic_w_m3=np.where(deep, 500.0, 0.0),
    )


@pytest.mark.parametrize(
    "surface", [Surface(temperature_c=-100.0), Surface(h_w_m2k=800.0, t_coolant_c=-196.0)], ids=["fixed", "convective"]
)
def test_full_contact_with_an_insulated_side_reproduces_the_1d_solver(surface):
    z = np.concatenate(([0.0], np.geomspace(2e-5, 0.02, 120)))
    r = np.linspace(0.0, 0.005, 6)
    tissue = layered(z)
    kwargs = dict(initial_c=34.0, duration_s=40.0, dt_s=0.25, deep_c=37.0)
    one = enthalpy1d.solve(z, tissue, surface, **kwargs)
    two = enthalpy2d.solve(r, z, tissue, surface, contact_radius_m=0.01, output_times_s=[10.0, 40.0], **kwargs)
    area = np.pi * r[-1] ** 2
    for out, time_s in zip(two.temperature_c, two.output_time_s, strict=True):
        j = int(np.argmin(np.abs(one.time_s - time_s)))
        assert np.max(np.abs(out - one.temperature_c[j][:, None])) < 1e-8
    assert np.allclose(two.frozen_volume_m3 / area, one.frozen_thickness_m, rtol=1e-9, atol=1e-12)
    for iso in (0.0, -20.0, -40.0):
        assert np.allclose(two.axis_isotherm_depth_m[iso], one.isotherm_depth_m[iso], rtol=1e-9, atol=1e-12)
    assert two.surface_freeze_time_s == pytest.approx(one.surface_freeze_time_s, rel=1e-9)
    assert two.enthalpy_change_j / area == pytest.approx(one.enthalpy_change_j_m2, rel=1e-9)
    assert two.boundary_heat_in_j / area == pytest.approx(one.boundary_heat_in_j_m2, rel=1e-9)
    assert two.source_heat_in_j / area == pytest.approx(one.source_heat_in_j_m2, rel=1e-8)
    assert two.iterations == one.iterations
