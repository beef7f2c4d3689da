"""The practitioner's answers: safe dwell and freeze hold, checked against physics and against each other.

The uniform-slab checks use generic properties (test inputs); the rest run on the cited data file."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from cryoclinic.dosimetry import answers
from cryoclinic.dosimetry.answers import InputError, Lesion, Passes, freeze_hold, safe_dwell, surface_freeze_s
from cryoclinic.dosimetry.model import column, ranges, resting_state, scenario

from .analytic import convective_surface_c


def uniform(base):
    """Every layer alike, no blood flow, no air loss: a semi-infinite solid at body temperature."""
    return replace(
        base, k_epidermis_w_mk=0.5, k_dermis_w_mk=0.5, k_fat_w_mk=0.5, c_epidermis_j_m3k=3.6e6,
        c_dermis_j_m3k=3.6e6, c_fat_j_m3k=3.6e6, perfusion_w_m3k=0.0, air_h_w_m2k=0.0, fat_mm=30.0,
    )


def test_safe_dwell_matches_the_analytic_surface_of_a_suddenly_cooled_solid():
    s = uniform(scenario("forehead", "female"))
    dwell = surface_freeze_s(s)
    exact = convective_surface_c(s.core_c, s.coolant_c, s.coolant_h_w_m2k, 0.5, 3.6e6, dwell)
    # The surface reaches the liquidus at the computed time: the analytic surface then is within 0.3 °C of it.
    assert abs(exact - s.liquidus_c) < 0.3, exact
    times = np.linspace(0.5 * dwell, 1.5 * dwell, 201)
    analytic = times[np.argmax([convective_surface_c(37.0, s.coolant_c, s.coolant_h_w_m2k, 0.5, 3.6e6, t)
                                <= s.liquidus_c for t in times])]
    assert abs(dwell - analytic) / analytic < 0.02


def test_resting_skin_is_warmest_at_depth_and_between_room_and_body_temperature():
    s = scenario("eyelid", "female")
    rest = resting_state(s, column(s))
    assert s.air_c < rest[0] < s.core_c
    assert np.all(np.diff(rest) >= -1e-9) and rest[-1] == pytest.approx(s.core_c)


@pytest.mark.parametrize("end", ["value", "low"])
def test_dwell_converges_when_the_time_steps_are_refined_fourfold(monkeypatch, end):
    data = answers.load()
    s = replace(scenario("zygoma", "male"), coolant_h_w_m2k=getattr(data.coolant_h, end))
    coarse = surface_freeze_s(s)
    monkeypatch.setattr(answers, "DWELL_DT_S", answers.DWELL_DT_S / 4)
    monkeypatch.setattr(answers, "DWELL_GROWTH", 1 + (answers.DWELL_GROWTH - 1) / 4)
    monkeypatch.setattr(answers, "DWELL_DT_MAX_S", answers.DWELL_DT_MAX_S / 4)
    fine = answers.surface_freeze_s.__wrapped__(s)
    print(f"h={s.coolant_h_w_m2k:g}: dwell {coarse:.4f} s, refined {fine:.4f} s")
    assert abs(coarse - fine) / fine < 0.03


def test_a_stronger_coolant_shortens_the_dwell_and_the_range_brackets_it():
    row = safe_dwell("forehead", "cotton_swab", "female")
    assert 0 < row.shortest_s < row.dwell_s < row.longest_s
    stronger = replace(scenario("forehead", "female"), coolant_h_w_m2k=1000.0)
    assert surface_freeze_s(stronger) < row.shortest_s


def test_earlier_passes_shorten_the_dwell_and_enough_of_them_freeze_the_skin():
    fresh = safe_dwell("eyelid", "cotton_swab", "female").dwell_s
    after = safe_dwell("eyelid", "cotton_swab", "female", passes=Passes(3, 0.02, 0.5)).dwell_s
    frozen = safe_dwell("eyelid", "cotton_swab", "female", passes=Passes(10, 0.6, 1.0)).dwell_s
    assert 0 < after < fresh
    assert frozen == 0.0


def test_sensitivity_covers_every_uncertain_datum_and_moves_the_answer():
    row = safe_dwell("neck", "pressure_device", "male", sensitivity=True)
    assert set(row.sensitivity) == set(ranges("neck", "male"))
    low_h, high_h = row.sensitivity["coolant_h_w_m2k"]
    assert low_h == pytest.approx(row.longest_s) and high_h == pytest.approx(row.shortest_s)


def test_the_dwell_table_covers_every_zone_technique_and_skin():
    rows = answers.dwell_table()
    assert len(rows) == 8 * 2 * 2
    assert {(r.zone, r.technique, r.skin) for r in rows} == {
        (z, t, s) for z in answers.load().zones for t in ("cotton_swab", "pressure_device") for s in ("female", "male")
    }
    assert all(r.shortest_s <= r.dwell_s <= r.longest_s for r in rows)


def test_the_hold_brings_the_lethal_isotherm_to_depth_plus_margin():
    result = freeze_hold("zygoma", "female", Lesion(1.0, 1.0, 10.0, "benign"))
    assert result.isotherm_c == -20.0 and result.target_mm == 2.0
    low, high = result.hold_range_s
    assert low is not None and result.hold_s is not None and low < result.hold_s
    assert high is None or result.hold_s < high
    assert result.ice_depth_mm > 2.0  # the ice runs ahead of the lethal isotherm
    assert result.ice_radius_mm > 5.0 and result.lateral_spread_mm == pytest.approx(result.ice_radius_mm - 5.0)
    assert result.thaw_s is not None and result.thaw_s > 0
    wide = result.wide_contact
    assert result.cycles[0]["reached_mm"] == pytest.approx(2.0, abs=0.1)
    # A finite applicator loses heat sideways: it needs a longer hold than the wide-contact limit, thaws sooner.
    assert wide["hold_s"] < result.hold_s and result.thaw_s < wide["thaw_s"]


def test_a_wider_applicator_approaches_the_wide_contact_limit():
    narrow = freeze_hold("forehead", "female", Lesion(1.0, 0.5, 8.0, "benign"))
    wide = freeze_hold("forehead", "female", Lesion(1.0, 0.5, 20.0, "benign"))
    assert narrow.hold_s is not None and wide.hold_s is not None
    assert wide.wide_contact["hold_s"] < wide.hold_s < narrow.hold_s
    assert wide.hold_s / wide.wide_contact["hold_s"] < 1.2


def test_a_small_applicators_ice_is_about_as_deep_as_its_surface_radius():
    """Published rule of cryosurgery: the depth of freezing equals the radius of the surface freeze (Jester,
    Prim Care 1997;24:269-280; Zimmerman & Crawford, Am Fam Physician 2012;86:1118). An applicator 4 mm wide
    held until −20 °C reaches 2 mm (about 43 s) leaves ice 2.8 mm deep and 3.7 mm in radius: within 25 %."""
    result = freeze_hold("zygoma", "female", Lesion(1.0, 1.0, 4.0, "benign"))
    ratio = result.ice_depth_mm / result.ice_radius_mm
    print(f"ice depth {result.ice_depth_mm:.2f} mm / surface radius {result.ice_radius_mm:.2f} mm = {ratio:.2f}")
    assert 0.7 < ratio < 1.3


def test_deeper_targets_and_colder_isotherms_need_longer_holds():
    shallow = freeze_hold("forehead", "male", Lesion(0.5, 0.5, 10.0, "benign")).hold_s
    deep = freeze_hold("forehead", "male", Lesion(1.5, 0.5, 10.0, "benign")).hold_s
    malignant = freeze_hold("forehead", "male", Lesion(0.5, 0.5, 10.0, "malignant")).hold_s
    assert shallow is not None and deep is not None and malignant is not None
    assert shallow < deep and shallow < malignant


def test_an_unreachable_target_has_no_hold_time():
    result = freeze_hold("neck", "female", Lesion(5.0, 3.0, 4.0, "malignant"), max_hold_s=30.0)
    assert result.hold_s is None and result.wide_contact["hold_s"] is None


def test_a_second_freeze_thaw_cycle_reaches_deeper_than_the_first():
    result = freeze_hold("temple", "female", Lesion(1.0, 1.0, 10.0, "benign"), cycles=2)
    first, second = result.cycles
    assert second["hold_s"] == pytest.approx(first["hold_s"])
    assert second["reached_mm"] > first["reached_mm"]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: safe_dwell("nose", "cotton_swab", "female"), "zone"),
        (lambda: safe_dwell("forehead", "ln2_cauterization", "female"), "technique"),
        (lambda: safe_dwell("forehead", "cotton_swab", "child"), "skin"),
        (lambda: safe_dwell("forehead", "cotton_swab", "female", passes=Passes(31)), "passes"),
        (lambda: safe_dwell("forehead", "cotton_swab", "female", passes=Passes(2, 9.0)), "contact_s"),
        (lambda: freeze_hold("forehead", "female", Lesion(9.0, 1.0, 4.0, "benign")), "lesion_depth_mm"),
        (lambda: freeze_hold("forehead", "female", Lesion(1.0, -1.0, 4.0, "benign")), "margin_mm"),
        (lambda: freeze_hold("forehead", "female", Lesion(1.0, 1.0, 40.0, "benign")), "lesion_diameter_mm"),
        (lambda: freeze_hold("forehead", "female", Lesion(1.0, 1.0, 4.0, "wart")), "lesion_kind"),
        (lambda: freeze_hold("forehead", "female", Lesion(1.0, 1.0, 4.0, "benign"), cycles=5), "cycles"),
        (lambda: freeze_hold("forehead", "female", Lesion(float("nan"), 1.0, 4.0, "benign")), "lesion_depth_mm"),
    ],
)
def test_out_of_range_input_names_the_field_and_its_valid_range(call, field):
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.field == field and caught.value.valid
