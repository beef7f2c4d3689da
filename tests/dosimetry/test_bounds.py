"""The coolant coefficient's range is held to published measurements by running the engine on them.

Erdmann & Wokes 2023 (doi:10.1093/ced/llad224), porcine skin kept at skin temperature, thermal camera: liquid
nitrogen brought the surface to −60 °C after 5 s of application, and it was back at 0 °C 70 s later."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cryoclinic.dosimetry import answers, bounds
from cryoclinic.dosimetry.answers import Lesion, freeze_hold, safe_dwell
from cryoclinic.dosimetry.data import load
from cryoclinic.dosimetry.model import scenario

from .datafile import edited_data, film_boiling_only

SURFACE_TOLERANCE_C = 1.0


def stand_in():
    data = load()
    return scenario(data.stand_in.zone, data.stand_in.skin, data)


def test_the_range_holds_a_coefficient_that_gives_minus_60_c_after_5_s_of_liquid_nitrogen():
    data = load()
    m = data.measurements["erdmann2023_surface_5s"]
    assert (m.kind, m.coolant_s, m.surface_c, m.sources) == ("surface_after_coolant", 5.0, -60.0, ("erdmann2023",))
    assert m.tolerance <= SURFACE_TOLERANCE_C
    found = bounds.bound(m, stand_in(), data.coolant_h.low, data.coolant_h.high)
    assert found.held
    h = found.reproduced_at_w_m2k
    assert h is not None and data.coolant_h.low <= h <= data.coolant_h.high
    surface_c = bounds.figure(replace(stand_in(), coolant_h_w_m2k=h), m)
    print(f"−60 °C after 5 s reproduced at {h:.0f} W/m²K: engine {surface_c:.2f} °C")
    assert surface_c == pytest.approx(-60.0, abs=SURFACE_TOLERANCE_C)


def test_film_boiling_alone_leaves_the_surface_far_warmer_than_measured():
    data = load()
    m = data.measurements["erdmann2023_surface_5s"]
    found = bounds.bound(m, stand_in(), 100.0, 300.0)
    print(f"100-300 W/m²K: {found.at_low_end:.1f} to {found.at_high_end:.1f} °C after 5 s")
    assert not found.held
    assert found.at_high_end is not None and found.at_high_end > -25.0


def test_the_range_holds_the_rewarming_figure_of_the_same_experiment():
    data = load()
    m = data.measurements["erdmann2023_rewarming"]
    assert (m.kind, m.coolant_s, m.surface_c, m.after_s) == ("rewarming_after_coolant", 5.0, 0.0, 70.0)
    found = bounds.bound(m, stand_in(), data.coolant_h.low, data.coolant_h.high)
    assert found.held and found.reproduced_at_w_m2k is not None
    rewarmed_s = bounds.figure(replace(stand_in(), coolant_h_w_m2k=found.reproduced_at_w_m2k), m)
    assert rewarmed_s == pytest.approx(70.0, abs=m.tolerance)


def test_a_stronger_coolant_gives_a_colder_surface_and_a_later_rewarming():
    data = load()
    surface, rewarming = data.measurements["erdmann2023_surface_5s"], data.measurements["erdmann2023_rewarming"]
    weak, strong = (replace(stand_in(), coolant_h_w_m2k=h) for h in (300.0, 700.0))
    assert bounds.figure(strong, surface) < bounds.figure(weak, surface)
    assert bounds.figure(strong, rewarming) > bounds.figure(weak, rewarming)


def test_every_answer_names_the_measurements_that_bound_the_range():
    row = safe_dwell("forehead", "cotton_swab", "female")
    coolant = row.coolant_range
    assert (coolant["low_w_m2k"], coolant["high_w_m2k"]) == (load().coolant_h.low, load().coolant_h.high)
    assert {m["code"] for m in coolant["measurements"]} == {"erdmann2023_surface_5s", "erdmann2023_rewarming"}
    assert all(m["reproduced_at_w_m2k"] for m in coolant["measurements"])
    assert "erdmann2023" in row.sources and "kida1981" in row.sources


def test_the_measured_coolant_gives_a_dwell_far_shorter_than_film_boiling():
    row = safe_dwell("forehead", "cotton_swab", "female")
    print(f"forehead dwell {row.dwell_s:.3f} s ({row.shortest_s:.3f}-{row.longest_s:.3f})")
    assert row.shortest_s < row.dwell_s < 0.1 < 1.0 < row.longest_s


def test_a_range_that_misses_a_measurement_refuses_every_answer(tmp_path):
    with edited_data(tmp_path, film_boiling_only):
        with pytest.raises(bounds.RangeContradicted, match="erdmann2023_surface_5s"):
            safe_dwell("forehead", "cotton_swab", "female")
        with pytest.raises(bounds.RangeContradicted):
            answers.dwell_table()
        with pytest.raises(bounds.RangeContradicted):
            freeze_hold("zygoma", "female", Lesion(1.0, 1.0, 10.0, "benign"))
    assert safe_dwell("forehead", "cotton_swab", "female").dwell_s > 0
