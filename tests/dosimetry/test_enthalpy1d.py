"""The 1D enthalpy engine against analytic solutions. Properties are generic test inputs, not medical claims."""

from __future__ import annotations

import numpy as np
import pytest

from cryoclinic.dosimetry.enthalpy1d import Surface, Tissue, solve, solve_uniform

from .analytic import neumann_front_m, neumann_lambda, steady_frozen_depth_m

K_S, K_L = 2.0, 0.5
C_S, C_L = 1.8e6, 3.6e6
LATENT = 2.5e8
T_SOL, T_LIQ = -0.1, 0.0
T_MELT = -0.05
T_SURF, T_INIT = -100.0, 37.0


def stefan(nodes: int, dt_s: float, duration_s: float = 120.0, depth_m: float = 0.04):
    return solve_uniform(
        k_frozen_w_mk=K_S,
        k_unfrozen_w_mk=K_L,
        c_frozen_j_m3k=C_S,
        c_unfrozen_j_m3k=C_L,
        latent_j_m3=LATENT,
        t_solidus_c=T_SOL,
        t_liquidus_c=T_LIQ,
        surface_c=T_SURF,
        initial_c=T_INIT,
        depth_m=depth_m,
        nodes=nodes,
        duration_s=duration_s,
        dt_s=dt_s,
        deep_c=T_INIT,
    )


def front_m(result, time_s: float) -> float:
    """The front of the enthalpy method: the frozen thickness (frozen fraction times cell size, summed)."""
    j = int(np.argmin(np.abs(result.time_s - time_s)))
    return float(result.frozen_thickness_m[j])


LAM = neumann_lambda(K_S, K_L, C_S, C_L, LATENT, T_SURF, T_MELT, T_INIT)


def test_front_follows_the_neumann_solution_within_one_percent():
    result = stefan(nodes=801, dt_s=0.25)
    for time_s in (30.0, 60.0, 120.0):
        exact = neumann_front_m(LAM, K_S, C_S, time_s)
        error = abs(front_m(result, time_s) - exact) / exact
        print(
            f"t={time_s:.0f}s front={front_m(result, time_s) * 1e3:.4f} mm exact={exact * 1e3:.4f} mm error={error:.2%}"
        )
        assert error < 0.01


def test_front_error_falls_close_to_first_order_when_grid_and_step_are_refined():
    exact = neumann_front_m(LAM, K_S, C_S, 60.0)
    errors = [
        abs(front_m(stefan(nodes, dt), 60.0) - exact) / exact for nodes, dt in ((101, 2.0), (201, 1.0), (401, 0.5))
    ]
    orders = [np.log2(errors[i] / errors[i + 1]) for i in range(2)]
    print(f"errors={[f'{e:.3%}' for e in errors]} observed orders={[f'{o:.2f}' for o in orders]}")
    assert errors[2] < errors[1] < errors[0]
    assert min(orders) >= 0.75


def test_temperature_field_converges_near_first_order_in_the_time_step():
    def field(dt_s: float) -> np.ndarray:
        result = solve_uniform(
            k_frozen_w_mk=K_S,
            k_unfrozen_w_mk=K_L,
            c_frozen_j_m3k=C_S,
            c_unfrozen_j_m3k=C_L,
            latent_j_m3=LATENT,
            t_solidus_c=-2.0,
            t_liquidus_c=0.0,
            surface_c=T_SURF,
            initial_c=T_INIT,
            depth_m=0.02,
            nodes=101,
            duration_s=32.0,
            dt_s=dt_s,
            deep_c=T_INIT,
        )
        return result.temperature_c[-1]

    reference = field(0.03125)
    errors = [float(np.mean(np.abs(field(dt) - reference))) for dt in (2.0, 1.0, 0.5, 0.25)]
    orders = [np.log2(errors[i] / errors[i + 1]) for i in range(3)]
    print(f"dt mean errors (K)={[f'{e:.4f}' for e in errors]} observed orders={[f'{o:.2f}' for o in orders]}")
    assert errors[3] < errors[2] < errors[1] < errors[0]
    assert min(orders) >= 0.7


def test_energy_is_conserved_to_a_millionth_of_the_enthalpy_change():
    result = stefan(nodes=201, dt_s=1.0)
    print(f"enthalpy change {result.enthalpy_change_j_m2:.6e} J/m2, error {result.energy_error_j_m2:.3e} J/m2")
    assert abs(result.energy_error_j_m2) <= 1e-6 * abs(result.enthalpy_change_j_m2)


def test_energy_is_conserved_with_perfusion_and_a_convective_surface():
    z = np.geomspace(1e-5, 0.03, 150)
    z = np.concatenate(([0.0], z))
    tissue = Tissue(K_S, K_L, C_S, C_L, LATENT, -1.0, 0.0, perfusion_w_m3k=4e4, t_arterial_c=37.0, metabolic_w_m3=400.0)
    result = solve(z, tissue, Surface(h_w_m2k=2000.0, t_coolant_c=-196.0), initial_c=35.0, duration_s=60.0, dt_s=0.5)
    error = abs(result.energy_error_j_m2)
    print(f"enthalpy change {result.enthalpy_change_j_m2:.6e} J/m2, error {error:.3e} J/m2")
    assert error <= 1e-6 * abs(result.enthalpy_change_j_m2)


def test_steady_frozen_depth_with_perfusion_matches_the_analytic_depth():
    perfusion = 4e4
    exact = steady_frozen_depth_m(K_S, K_L, perfusion, T_SURF, T_MELT, 37.0)
    result = solve_uniform(
        k_frozen_w_mk=K_S,
        k_unfrozen_w_mk=K_L,
        c_frozen_j_m3k=C_S,
        c_unfrozen_j_m3k=C_L,
        latent_j_m3=LATENT,
        t_solidus_c=T_SOL,
        t_liquidus_c=T_LIQ,
        surface_c=T_SURF,
        initial_c=37.0,
        depth_m=0.06,
        nodes=2401,
        duration_s=20000.0,
        dt_s=20.0,
        perfusion_w_m3k=perfusion,
        t_arterial_c=37.0,
        deep_c=37.0,
    )
    last = front_m(result, 20000.0)
    before = front_m(result, 18000.0)
    error = abs(last - exact) / exact
    print(f"steady frozen depth {last * 1e3:.4f} mm, analytic {exact * 1e3:.4f} mm, error {error:.2%}")
    assert abs(last - before) / exact < 1e-3
    assert error < 0.015


def test_isotherm_depths_and_surface_freeze_time_under_a_coolant():
    tissue = Tissue(K_S, K_L, C_S, C_L, LATENT, -1.0, 0.0)
    z = np.linspace(0.0, 0.02, 201)
    result = solve(
        z, tissue, Surface(h_w_m2k=500.0, t_coolant_c=-196.0), initial_c=32.0, duration_s=60.0, dt_s=0.1, deep_c=37.0
    )
    assert result.surface_freeze_time_s is not None
    j = int(np.searchsorted(result.time_s, result.surface_freeze_time_s))
    assert result.temperature_c[j - 1, 0] > 0.0 >= result.temperature_c[j, 0]
    zero, minus20, minus40 = (result.isotherm_depth_m[iso][-1] for iso in (0.0, -20.0, -40.0))
    assert zero > minus20 > minus40 >= 0.0
    assert np.all(np.diff(result.isotherm_depth_m[0.0]) >= -1e-12)


def test_a_warm_surface_never_freezes():
    tissue = Tissue(K_S, K_L, C_S, C_L, LATENT, -1.0, 0.0)
    result = solve(
        np.linspace(0, 0.01, 51), tissue, Surface(temperature_c=10.0), initial_c=37.0, duration_s=10.0, dt_s=1.0
    )
    assert result.surface_freeze_time_s is None
    assert np.all(result.isotherm_depth_m[0.0] == 0.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"temperature_c": None}, "either temperature_c"),
        ({"temperature_c": -10.0, "h_w_m2k": 100.0, "t_coolant_c": -196.0}, "either temperature_c"),
    ],
)
def test_surface_must_be_fixed_or_convective(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Surface(**kwargs)


def test_grid_must_start_at_the_surface_and_increase():
    tissue = Tissue(K_S, K_L, C_S, C_L, LATENT, -1.0, 0.0)
    with pytest.raises(ValueError, match="depth_m"):
        solve([0.0, 0.002, 0.001], tissue, Surface(temperature_c=-50.0), initial_c=37.0, duration_s=1.0, dt_s=0.1)


def test_freezing_range_must_be_ordered():
    tissue = Tissue(K_S, K_L, C_S, C_L, LATENT, 0.0, -1.0)
    with pytest.raises(ValueError, match="t_liquidus_c"):
        solve([0.0, 0.001, 0.002], tissue, Surface(temperature_c=-50.0), initial_c=37.0, duration_s=1.0, dt_s=0.1)
