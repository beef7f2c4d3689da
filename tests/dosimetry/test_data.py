"""The cited data file: every number names a known source, and a broken file is refused naming the field."""

from __future__ import annotations

import copy

import pytest
import yaml

from cryoclinic.dosimetry.data import DATA_FILE, DataError, load, parse


@pytest.fixture
def raw():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_every_quantity_cites_sources_that_the_file_lists():
    data = load()
    quantities = [
        data.coolant_c, data.coolant_h, data.air_c, data.air_h, data.core_c, data.perfusion, data.liquidus_c,
        data.solidus_c, data.latent, data.frozen_k_ratio, data.frozen_c_ratio, data.fat_mm, data.epidermis_low_mm,
        *(q for layer in data.layers.values() for q in (layer.k_w_mk, layer.c_j_m3k)),
        *(lethal.isotherm for lethal in data.lethal.values()),
    ]
    for quantity in quantities:
        assert quantity.sources and set(quantity.sources) <= set(data.sources)
        assert quantity.low <= quantity.value <= quantity.high


def test_the_coolant_range_cites_film_boiling_and_the_measurement_it_was_derived_from():
    data = load()
    assert set(data.coolant_h.sources) == {"kida1981", "erdmann2023"} and data.coolant_h.assumption
    assert data.sources["erdmann2023"]["doi"] == "10.1093/ced/llad224"
    for m in data.measurements.values():
        assert set(m.sources) <= set(data.sources) and m.text["en"] and m.text["ru"]


def test_zones_carry_both_skin_profiles_and_both_languages():
    data = load()
    assert set(data.profiles) == {"female", "male"}
    for zone in data.zones.values():
        assert zone.name["en"] and zone.name["ru"]
        assert set(zone.profiles) == set(data.profiles)


def test_the_techniques_are_the_knowledge_base_techniques():
    from cryoclinic.knowledge.loader import knowledge_base

    kb = {p.slug: {t.code for t in p.techniques} for p in knowledge_base().procedures.values()}
    for code, technique in load().techniques.items():
        assert code in kb[technique.procedure]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda r: r["blood"]["perfusion_w_m3k"].pop("source"), "blood.perfusion_w_m3k: cites no source"),
        (lambda r: r["blood"]["perfusion_w_m3k"].update(source=["nobody2020"]), "unknown sources"),
        (lambda r: r["phase_change"]["latent_j_m3"].update(value=1.0), "outside its range"),
        (lambda r: r["air"]["temperature_c"].pop("why"), "air.temperature_c: an assumption must say why"),
        (lambda r: r["zones"]["eyelid"]["female"].pop("dermis_mm"), "zones.eyelid.female"),
        (lambda r: r["techniques"]["cotton_swab"].update(mode="wave"), "techniques.cotton_swab.mode"),
        (lambda r: r["coolant"].pop("measurements"), "coolant.measurements: missing"),
        (lambda r: r["coolant"].update(measurements={}), "coolant.measurements: needs at least one"),
        (
            lambda r: r["coolant"]["measurements"]["erdmann2023_surface_5s"].update(kind="guess"),
            "coolant.measurements.erdmann2023_surface_5s.kind",
        ),
        (
            lambda r: r["coolant"]["measurements"]["erdmann2023_surface_5s"].pop("tolerance_c"),
            "coolant.measurements.erdmann2023_surface_5s.tolerance_c: needs a number",
        ),
        (
            lambda r: r["coolant"]["measurements"]["erdmann2023_rewarming"].update(after_s=-70),
            "coolant.measurements.erdmann2023_rewarming.after_s: must be positive",
        ),
        (
            lambda r: r["coolant"]["measurements"]["erdmann2023_rewarming"].update(source=["hearsay"]),
            "coolant.measurements.erdmann2023_rewarming: cites unknown sources",
        ),
        (lambda r: r["coolant"]["measurements"]["erdmann2023_rewarming"].pop("ru"), "needs an en and a ru name"),
        (lambda r: r["coolant"]["stand_in"].update(zone="pig"), "coolant.stand_in: needs a known zone"),
        (lambda r: r["coolant"]["stand_in"].pop("why"), "coolant.stand_in: a stand-in must say why"),
    ],
)
def test_a_broken_file_is_refused_naming_the_field(raw, edit, message):
    broken = copy.deepcopy(raw)
    edit(broken)
    with pytest.raises(DataError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse(broken)
