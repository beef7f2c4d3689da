"""Validation against the publications: each case is calibrated on one published figure and predicts another;
the README's table is the one the engine gives now."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cryoclinic.dosimetry import validation

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def rows():
    return {row.code: row for row in validation.run()}


def test_the_published_figures_are_those_of_the_sources(rows):
    assert rows["erdmann_rewarming"].published == 70.0 and rows["erdmann_rewarming"].sources == ["erdmann2023"]
    assert rows["phantom_10cm_depth"].published == 26.4
    assert rows["phantom_15cm_depth"].published == 23.7
    assert rows["phantom_15cm_from_10cm"].published == 264.0
    cases = validation.cases()
    assert cases["phantom_10cm_depth"]["calibrate_on"]["value"] == pytest.approx(1.8 * 60)
    assert cases["phantom_15cm_depth"]["calibrate_on"]["value"] == pytest.approx(4.4 * 60)


def test_no_case_predicts_the_figure_it_was_calibrated_on():
    for code, case in validation.cases().items():
        on, predict = case["calibrate_on"], case["predict"]
        assert (on["kind"], on["value"]) != (predict["kind"], predict["published"]), code


def test_the_calibrated_coefficient_meets_its_calibration_figure(rows):
    erdmann = rows["erdmann_rewarming"]
    low, high = erdmann.coefficient_interval_w_m2k
    assert low < erdmann.coefficient_w_m2k < high
    case = validation.cases()["phantom_10cm_depth"]
    s = validation._base(case)
    reached, _ = validation.time_to_c(replace(s, coolant_h_w_m2k=rows["phantom_10cm_depth"].coefficient_w_m2k), 10.0)
    assert reached == pytest.approx(108.0, rel=0.01)


def test_the_rewarming_prediction_carries_the_posteriors_interval(rows):
    erdmann = rows["erdmann_rewarming"]
    low, high = erdmann.predicted_interval
    assert low <= erdmann.predicted <= high


def test_the_readme_shows_the_table_the_engine_gives(rows):
    table = validation.markdown(list(rows.values()))
    readme = README.read_text(encoding="utf-8")
    for line in table.splitlines():
        assert line in readme, f"refresh the README's validation table (cryoclinic dose validate): {line}"
