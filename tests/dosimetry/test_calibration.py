"""The coolant coefficient inferred from a clinic's readings: synthetic readings made by the engine itself from a
known coefficient (plus the reading's stated noise) must be recovered, ever more narrowly as readings are
added; a reading no coefficient in the range can explain is flagged and left out."""

from __future__ import annotations

import numpy as np
import pytest

from cryoclinic.dosimetry import calibration
from cryoclinic.dosimetry.calibration import Reading, ReadingError, posterior
from cryoclinic.dosimetry.data import load

TRUE_H = 400.0


def synthetic(kind: str, coolant_s: float, true_h: float, rng: np.random.Generator, site: str = "forearm") -> Reading:
    """A reading the engine makes at `true_h` (interpolated in log h between grid runs), with the kind's noise."""
    exact = Reading(kind, 0.0, coolant_s, site)
    figures = calibration.predicted(exact)
    value = float(np.interp(np.log(true_h), np.log(calibration.grid()), figures))
    return Reading(kind, value + rng.normal(0.0, Reading(kind, max(value, 0.01), coolant_s, site).sd), coolant_s, site)


def test_no_readings_give_the_prior_over_the_cited_range_marked_uncalibrated():
    h = load().coolant_h
    prior = posterior([])
    assert not prior.calibrated and prior.used == 0
    assert prior.h_w_m2k[0] == pytest.approx(h.low) and prior.h_w_m2k[-1] == pytest.approx(h.high)
    # uniform in log h: the median is the geometric mean of the ends
    assert prior.median_w_m2k == pytest.approx(np.sqrt(h.low * h.high), rel=0.01)


@pytest.mark.parametrize("true_h", [150.0, TRUE_H, 650.0])
def test_the_posterior_covers_the_coefficient_that_made_the_readings(true_h):
    rng = np.random.default_rng(int(true_h))
    readings = [synthetic("surface_c", t, true_h, rng) for t in (2.0, 3.0, 5.0)]
    found = posterior(readings)
    print(f"true {true_h:.0f}: {found.median_w_m2k:.0f} ({found.low_w_m2k:.0f}–{found.high_w_m2k:.0f}) W/m²K")
    assert found.calibrated and found.used == 3 and found.flagged == []
    assert found.low_w_m2k <= true_h <= found.high_w_m2k
    assert found.median_w_m2k == pytest.approx(true_h, rel=0.25)


def test_the_posterior_narrows_as_readings_are_added():
    rng = np.random.default_rng(7)
    readings = [synthetic("surface_c", 5.0, TRUE_H, rng) for _ in range(8)]
    widths = []
    for n in (1, 2, 4, 8):
        found = posterior(readings[:n])
        widths.append(np.log(found.high_w_m2k / found.low_w_m2k))
        assert found.low_w_m2k <= TRUE_H <= found.high_w_m2k
    print("90 % widths in log h:", [f"{w:.3f}" for w in widths])
    assert all(later < earlier for earlier, later in zip(widths, widths[1:], strict=False))
    assert widths[-1] < widths[0] / 2


def test_frost_times_calibrate_as_well():
    """Frost comes within a fraction of a second with a strong coolant, where a stopwatch cannot tell coefficients
    apart; a weak one (150 W/m²K, frost after about 1.5 s) is where a timed frost narrows the range."""
    rng = np.random.default_rng(3)
    found = posterior([synthetic("frost_s", 0.0, 150.0, rng) for _ in range(4)])
    print(f"frost: {found.median_w_m2k:.0f} ({found.low_w_m2k:.0f}–{found.high_w_m2k:.0f}) W/m²K")
    assert found.low_w_m2k <= 150.0 <= found.high_w_m2k
    assert found.high_w_m2k / found.low_w_m2k < load().coolant_h.high / load().coolant_h.low


def test_a_reading_no_coefficient_in_the_range_explains_is_flagged_not_fitted():
    rng = np.random.default_rng(11)
    good = [synthetic("surface_c", 5.0, TRUE_H, rng) for _ in range(3)]
    # +30 °C after 5 s of liquid nitrogen: warmer than even film boiling (the range's low end) leaves the skin
    outlier = Reading("surface_c", 30.0, 5.0)
    assert not calibration.explained(outlier, calibration.predicted(outlier))
    with_outlier = posterior([*good[:2], outlier, good[2]])
    without = posterior(good)
    assert with_outlier.flagged == [2] and with_outlier.used == 3
    assert with_outlier.median_w_m2k == pytest.approx(without.median_w_m2k)
    # first frost after 18 s: film boiling (the range's low end) freezes the surface in about 3 s
    assert posterior([Reading("frost_s", 18.0)]).flagged == [0]


def test_a_phantom_without_blood_flow_cools_faster_than_the_forearm():
    forearm = calibration.predicted(Reading("surface_c", 0.0, 10.0, "forearm"))
    phantom = calibration.predicted(Reading("surface_c", 0.0, 10.0, "phantom"))
    assert np.all(phantom <= forearm + 1e-9)


@pytest.mark.parametrize(
    ("reading", "field"),
    [
        (Reading("colour", 1.0, 5.0), "kind"),
        (Reading("surface_c", -20.0, 5.0, "elbow"), "site"),
        (Reading("surface_c", -20.0, 0.0), "coolant_s"),
        (Reading("surface_c", float("nan"), 5.0), "surface_c"),
        (Reading("surface_c", -400.0, 5.0), "surface_c"),
        (Reading("frost_s", 60.0), "frost_s"),
    ],
)
def test_a_bad_reading_is_refused_naming_its_field(reading, field):
    with pytest.raises(ReadingError) as refused:
        posterior([reading])
    assert refused.value.field == field


def test_the_runs_are_stored_per_version_and_read_back_by_a_fresh_process():
    from cryoclinic.dosimetry import tablecache

    h, runs = calibration.surface_runs("forearm")
    stored = tablecache.directory() / f"calibration-{tablecache.version()}-forearm.npz"
    assert stored.exists()
    calibration.surface_runs.cache_clear()
    h_again, runs_again = calibration.surface_runs("forearm")
    assert np.array_equal(h, h_again) and len(runs_again) == len(runs)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(runs, runs_again, strict=True))
