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


def stretched(fine_to_m: float, spacing_m: float, length_m: float, growth: float = 1.08) -> np.ndarray:
    """Uniform nodes up to `fine_to_m`, then spacing growing geometrically up to `length_m`."""
    nodes = list(np.linspace(0.0, fine_to_m, int(round(fine_to_m / spacing_m)) + 1))
    step = spacing_m
    while nodes[-1] < length_m:
        step *= growth
        nodes.append(nodes[-1] + step)
    return np.array(nodes)


def test_steady_heat_flow_from_an_isothermal_disc_approaches_4kaΔT():
    """Carslaw & Jaeger (1959, §8.2): a disc of radius a held ΔT from a half-space conducts Q = 4 k a ΔT.

    No phase change (the freezing range is far below). The held surface nodes reach half a cell past a,
    so Q is high by about dr/(2a) and the error halves with dr; the domain is 400 a on each side."""
    a, k, delta = 1e-3, 0.5, 27.0
    tissue = Tissue(k, k, 3.6e6, 3.6e6, LATENT, -60.0, -50.0)
    exact = 4 * k * a * delta
    flows = []
    for per_radius in (20, 40):
        grid = stretched(2 * a, a / per_radius, 400 * a)
        result = enthalpy2d.solve(
            grid,
            grid,
            tissue,
            Surface(temperature_c=37.0 - delta),
            contact_radius_m=a,
            initial_c=37.0,
            duration_s=1e9,
            dt_s=1e9,
            deep_c=37.0,
        )
        flows.append(-result.surface_heat_in_w[-1])
    errors = [q / exact - 1 for q in flows]
    extrapolated = 2 * flows[1] - flows[0]
    print(f"Q/exact = {[f'{q / exact:.4f}' for q in flows]}, extrapolated {extrapolated / exact:.4f}")
    assert 0 < errors[1] < 0.015
    assert 1.6 < errors[0] / errors[1] < 2.4
    assert abs(extrapolated / exact - 1) < 0.005


def cold_disc(spacing_m: float, **kwargs):
    a = 2e-3
    r = stretched(1.5 * a, spacing_m, 4 * a, growth=1.15)
    z = stretched(1.5 * a, spacing_m, 6 * a, growth=1.15)
    options = dict(contact_radius_m=a, initial_c=34.0, duration_s=20.0, dt_s=0.5, deep_c=37.0)
    options.update(kwargs)
    return enthalpy2d.solve(r, z, layered(z), Surface(h_w_m2k=1000.0, t_coolant_c=-196.0), **options)


def test_energy_is_conserved_under_a_convective_disc_with_room_air_and_perfusion():
    result = cold_disc(2e-4, h_air_w_m2k=10.0, t_air_c=22.0)
    error = abs(result.energy_error_j)
    print(f"enthalpy change {result.enthalpy_change_j:.6e} J, error {error:.3e} J")
    assert result.frozen_volume_m3[-1] > 0
    assert error <= 1e-6 * abs(result.enthalpy_change_j)


def test_lateral_spread_of_the_lethal_isotherms_converges_with_the_grid():
    """The -20 and -40 °C surface radii converge at least close to first order as the uniform region is refined
    (each refinement changes them by at most 0.6 times the one before).

    The -20 °C radius approaches its limit from outside; the -40 °C radius of the coarsest grid already lies
    within 0.5 % of the finest, on the other side (with the Kirchhoff face conductance of `kernels`; a harmonic
    mean of the nodes' conductivities overshot it by 2.3 %), so only its changes are required to shrink.
    The 0 °C radius (at the edge of the freezing range) moves within 2 % between grids without a clean order:
    the enthalpy method's front advances node by node, so that radius climbs in steps of up to a quarter of a cell
    in one time step (3.50 to 3.60 mm in the last step on the middle grid); it is compared averaged over the last
    2 s. The lethal isotherms behind the front are smooth and compared at the end."""
    a = 2e-3
    spreads: dict[float, list[float]] = {0.0: [], -20.0: [], -40.0: []}
    for spacing in (4e-4, 2e-4, 1e-4):
        r = stretched(2.5 * a, spacing, 5 * a, growth=1.2)
        z = stretched(2 * a, spacing, 6 * a, growth=1.2)
        result = enthalpy2d.solve(
            r,
            z,
            layered(z),
            Surface(h_w_m2k=1000.0, t_coolant_c=-196.0),
            contact_radius_m=a,
            initial_c=34.0,
            duration_s=20.0,
            dt_s=0.5,
            deep_c=37.0,
        )
        for iso, values in spreads.items():
            radius = result.surface_isotherm_radius_m[iso]
            values.append(float(np.mean(radius[result.time_s >= 18.0])) if iso == 0.0 else radius[-1])
    print({iso: [f"{v * 1e3:.4f} mm" for v in values] for iso, values in spreads.items()})
    assert spreads[-20.0][0] > spreads[-20.0][1] > spreads[-20.0][2]
    assert abs(spreads[-40.0][0] - spreads[-40.0][2]) < 0.005 * spreads[-40.0][2]
    for iso in (-20.0, -40.0):
        s = spreads[iso]
        assert min(s) > a
        assert abs(s[2] - s[1]) < 0.6 * abs(s[1] - s[0])
        assert abs(s[2] - s[1]) < 0.015 * s[2]
    assert max(spreads[0.0]) < 1.02 * min(spreads[0.0])
    assert min(spreads[0.0]) > spreads[-20.0][0]


def test_lifting_the_contact_lets_the_surface_thaw_and_energy_still_balances():
    phases = [(0.0, 10.0, True), (10.0, 60.0, False), (60.0, 70.0, True)]
    result = cold_disc(2e-4, duration_s=130.0, h_air_w_m2k=10.0, t_air_c=22.0, schedule=phases)
    t = result.time_s
    frozen_at = {s: result.frozen_volume_m3[int(np.argmin(np.abs(t - s)))] for s in (10.0, 60.0, 70.0, 130.0)}
    print(f"frozen volume (mm3) at 10/60/70/130 s: {[f'{v * 1e9:.3f}' for v in frozen_at.values()]}")
    assert 10.0 in t and 60.0 in t and 70.0 in t  # phase ends are step boundaries
    assert result.contact_on[0] and not result.contact_on[int(np.searchsorted(t, 30.0))]
    assert frozen_at[10.0] > 0 and frozen_at[60.0] < 0.05 * frozen_at[10.0]
    assert frozen_at[70.0] > 0 and frozen_at[130.0] < frozen_at[70.0]
    assert result.surface_centre_c[-1] > 0.0
    lifted = np.array([not on for on in result.contact_on])
    assert np.max(np.abs(result.surface_heat_in_w[lifted])) < 0.05 * np.max(np.abs(result.surface_heat_in_w))
    assert abs(result.energy_error_j) <= 1e-6 * np.sum(np.abs(result.surface_heat_in_w) * np.diff(t))


def test_a_held_disc_lifted_and_reapplied_counts_the_reset_in_the_ledger():
    phases = [(0.0, 5.0, True), (20.0, 25.0, True)]
    z = stretched(3e-3, 1e-4, 8e-3, growth=1.15)
    r = stretched(3e-3, 1e-4, 6e-3, growth=1.15)
    result = enthalpy2d.solve(
        r,
        z,
        layered(z),
        Surface(temperature_c=-60.0),
        contact_radius_m=2e-3,
        initial_c=34.0,
        duration_s=40.0,
        dt_s=0.5,
        h_air_w_m2k=10.0,
        schedule=phases,
    )
    assert result.contact_on.count(True) == 20
    assert abs(result.energy_error_j) <= 1e-6 * abs(result.enthalpy_change_j)


AIR = Surface(h_w_m2k=10.0, t_coolant_c=22.0)
PASSES = [(0.0, 3.0, True), (3.0, 8.0, False), (8.0, 11.0, True), (11.0, 16.0, False), (16.0, 19.0, True)]


def test_a_1d_schedule_that_stays_on_changes_nothing():
    z = np.linspace(0.0, 0.01, 101)
    tissue = layered(z)
    kwargs = dict(initial_c=34.0, duration_s=12.0, dt_s=0.5, deep_c=37.0)
    plain = enthalpy1d.solve(z, tissue, Surface(temperature_c=-80.0), **kwargs)
    scheduled = enthalpy1d.solve(z, tissue, Surface(temperature_c=-80.0), schedule=lambda t: True, **kwargs)
    assert np.array_equal(plain.temperature_c, scheduled.temperature_c)
    assert plain.boundary_heat_in_j_m2 == scheduled.boundary_heat_in_j_m2


@pytest.mark.parametrize(
    "surface", [Surface(temperature_c=-100.0), Surface(h_w_m2k=800.0, t_coolant_c=-196.0)], ids=["fixed", "convective"]
)
def test_cryomassage_passes_in_1d_balance_energy_and_match_2d_under_full_contact(surface):
    """Contact for 3 s, lifted for 5 s into room air, three times (a swab passing over one spot)."""
    z = np.concatenate(([0.0], np.geomspace(2e-5, 0.01, 100)))
    tissue = layered(z)
    kwargs = dict(initial_c=34.0, duration_s=30.0, dt_s=0.25, deep_c=37.0, schedule=PASSES)
    one = enthalpy1d.solve(z, tissue, surface, surface_off=AIR, **kwargs)
    r = np.linspace(0.0, 0.004, 5)
    two = enthalpy2d.solve(
        r, z, tissue, surface, contact_radius_m=0.01, h_air_w_m2k=10.0, t_air_c=22.0, output_times_s=[30.0], **kwargs
    )
    for t in (3.0, 8.0, 11.0, 16.0, 19.0):
        assert t in one.time_s
    surface_c = one.temperature_c[:, 0]
    assert surface_c[np.searchsorted(one.time_s, 8.0)] > surface_c[np.searchsorted(one.time_s, 3.0)]  # rewarms
    assert abs(one.energy_error_j_m2) <= 1e-6 * abs(one.enthalpy_change_j_m2)
    assert np.max(np.abs(two.temperature_c[-1] - one.temperature_c[-1][:, None])) < 1e-8
    assert two.boundary_heat_in_j / (np.pi * r[-1] ** 2) == pytest.approx(one.boundary_heat_in_j_m2, rel=1e-9)


def test_a_lifted_1d_contact_without_an_off_surface_is_insulated():
    z = np.linspace(0.0, 0.01, 51)
    tissue = layered(z)
    result = enthalpy1d.solve(
        z, tissue, Surface(temperature_c=-50.0), initial_c=34.0, duration_s=10.0, dt_s=0.5, schedule=[(0, 2, True)]
    )
    later = np.searchsorted(result.time_s, 2.0) + 1
    assert result.temperature_c[-1, 0] > result.temperature_c[later, 0]
    assert abs(result.energy_error_j_m2) <= 1e-6 * abs(result.enthalpy_change_j_m2)


@pytest.mark.parametrize(
    "schedule, message",
    [([(0.0, 5.0, True), (4.0, 6.0, False)], "overlaps"), ([(5.0, 5.0, True)], "end after"), ([(0.0, 1.0)], "phases")],
)
def test_a_bad_schedule_is_refused(schedule, message):
    z = np.linspace(0.0, 0.01, 11)
    with pytest.raises(ValueError, match=message):
        enthalpy1d.solve(
            z, layered(z), Surface(temperature_c=-50.0), initial_c=34.0, duration_s=1.0, dt_s=0.5, schedule=schedule
        )
    with pytest.raises(ValueError, match=message):
        enthalpy2d.solve(
            [0.0, 0.001],
            z,
            layered(z),
            Surface(temperature_c=-50.0),
            contact_radius_m=0.001,
            initial_c=34.0,
            duration_s=1.0,
            dt_s=0.5,
            schedule=schedule,
        )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"radius_m": [0.0, 0.002, 0.001]}, "radius_m"),
        ({"radius_m": [0.001, 0.002]}, "radius_m"),
        ({"depth_m": [0.0, 0.001]}, "depth_m"),
        ({"contact_radius_m": 0.0}, "contact_radius_m"),
        ({"h_air_w_m2k": -1.0}, "h_air_w_m2k"),
        ({"output_times_s": [2.0]}, "output_times_s"),
        ({"initial_c": np.zeros(4)}, "initial_c"),
        ({"tissue": Tissue(np.ones(4), 0.5, C_S, C_L, LATENT, -1.0, 0.0)}, "k_frozen_w_mk"),
    ],
)
def test_bad_2d_input_is_refused_naming_the_argument(change, message):
    args = dict(
        radius_m=[0.0, 0.001, 0.002],
        depth_m=np.linspace(0, 0.01, 11),
        tissue=layered(np.linspace(0, 0.01, 11)),
        contact=Surface(temperature_c=-50.0),
        contact_radius_m=0.001,
        initial_c=34.0,
        duration_s=1.0,
        dt_s=0.5,
    )
    args.update(change)
    with pytest.raises(ValueError, match=message):
        enthalpy2d.solve(**args)


@pytest.mark.parametrize("nr, nz", [(5, 9), (9, 5)], ids=["ordered-by-radius", "ordered-by-depth"])
def test_the_banded_solve_matches_a_sparse_direct_solve_in_either_ordering(nr, nz):
    import scipy.sparse as sp
    from scipy.sparse.linalg import spsolve

    rng = np.random.default_rng(5)
    grid = enthalpy2d._Grid(np.linspace(0.0, 1.0, nr), np.linspace(0.0, 1.0, nz))
    off_r, off_z = -rng.uniform(0.1, 1.0, (nz, nr - 1)), -rng.uniform(0.1, 1.0, (nz - 1, nr))
    diag = rng.uniform(0.1, 1.0, (nz, nr))
    diag[:, :-1] -= off_r
    diag[:, 1:] -= off_r
    diag[:-1] -= off_z
    diag[1:] -= off_z
    idx = np.arange(nr * nz).reshape(nz, nr)
    rows = np.concatenate((idx[:, :-1].ravel(), idx[:-1].ravel()))
    cols = np.concatenate((idx[:, 1:].ravel(), idx[1:].ravel()))
    offs = np.concatenate((off_r.ravel(), off_z.ravel()))
    a = sp.coo_matrix((offs, (rows, cols)), shape=(nr * nz,) * 2)
    a = (a + a.T + sp.diags(diag.ravel())).tocsc()
    rhs = rng.normal(size=(nz, nr))
    assert np.allclose(grid.solve(diag, off_r, off_z, rhs), spsolve(a, rhs.ravel()), rtol=1e-10, atol=1e-12)
