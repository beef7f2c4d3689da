"""The calibration page and API: a clinic records its readings per technique, sees their history (flagged ones
marked) and the coefficient's posterior; the dose page, the session screen and the API then answer from it."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from cryoclinic.clinics import state
from cryoclinic.dosimetry import calibration
from cryoclinic.guidance import calibrate, calibrated
from cryoclinic.guidance.models import CoolantReading

pytestmark = pytest.mark.django_db

PAGE = "/en/staff/dose/calibration/"


def engine_surface(h: float, coolant_s: float = 5.0) -> float:
    figures = calibration.predicted(calibration.Reading("surface_c", 0.0, coolant_s, "forearm"))
    return float(np.interp(np.log(h), np.log(calibration.grid()), figures))


def record(value: float, technique: str = "cotton_swab") -> CoolantReading:
    return calibrate.record(technique=technique, kind="surface_c", site="forearm", instrument="thermal_camera",
                            value=value, coolant_s=5.0)  # fmt: skip


def reading_form(**extra) -> dict[str, object]:
    return {"technique": "cotton_swab", "kind": "surface_c", "site": "forearm", "instrument": "ir_thermometer",
            "coolant_s": "5", "value": f"{engine_surface(300.0):.1f}", "note": "left forearm"} | extra  # fmt: skip


def test_a_practitioner_records_a_reading_and_sees_it_and_the_posterior(client, users):
    client.force_login(users["practitioner"])
    page = client.get(PAGE).content.decode()
    assert 'data-testid="uncalibrated"' in page and "No readings yet." in page
    response = client.post(PAGE, reading_form())
    assert response.status_code == 302 and response["Location"].endswith("?technique=cotton_swab")
    page = client.get(response["Location"]).content.decode()
    assert "Calibrated on 1 readings" in page and "left forearm" in page and "<svg" in page
    stored = CoolantReading.objects.get()
    assert stored.recorded_by == users["practitioner"] and stored.instrument == "ir_thermometer"


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"value": "-900"}, "value"), ({"coolant_s": "0"}, "coolant_s"), ({"kind": "colour"}, "kind"),
     ({"value": "warm"}, "value"), ({"technique": "laser"}, "technique")],
)  # fmt: skip
def test_a_bad_reading_is_refused_on_the_form_naming_the_field(client, users, extra, field):
    client.force_login(users["admin"])
    response = client.post(PAGE, reading_form(**extra))
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert CoolantReading.objects.count() == 0


def test_a_reading_no_coefficient_explains_is_flagged_in_the_history(client, users):
    record(engine_surface(300.0))
    outlier = record(35.0)
    client.force_login(users["practitioner"])
    page = client.get(PAGE).content.decode()
    row = re.search(rf'<tr data-reading="{outlier.pk}" class="flagged">.*?</tr>', page, flags=re.S)
    assert row and "flagged: no coefficient in the range explains it" in row.group(0)
    assert "1 reading cannot be explained" in page


def test_the_page_reads_in_russian(client, users):
    client.force_login(users["practitioner"])
    page = client.get("/ru/staff/dose/calibration/").content.decode()
    assert "Калибровка хладагента" in page and "не откалиброван" in page


def test_the_dose_page_and_session_answer_from_the_clinics_calibration(client, users, other_clinic):
    client.force_login(users["practitioner"])
    before = client.get("/en/staff/dose/").content.decode()
    assert 'data-calibrated="yes"' not in before and before.count('data-testid="uncalibrated"') == 2
    for offset in (-1.0, 0.0, 1.0):
        record(engine_surface(300.0) + offset)
    after = client.get("/en/staff/dose/").content.decode()
    assert after.count('data-calibrated="yes"') == after.count('data-technique="cotton_swab"') > 0
    assert "calibrated on this clinic&#x27;s 3 readings" in after or "calibrated on this clinic's 3 readings" in after
    posterior = calibrate.posterior("cotton_swab")[0]
    cell = calibrated.dwell_cell("eyelid", "cotton_swab", "female", posterior)
    assert f"{cell.dwell_s:.2f} <small>({cell.shortest_s:.2f}–{cell.longest_s:.2f})" in after
    with state.activate(other_clinic):
        assert not calibrated.posteriors()["cotton_swab"].calibrated


def test_zones_with_the_same_figures_share_a_row_saying_so():
    cells = {
        "a": [calibrated.Cell("a", "t", "s", 0.5, 0.1, 1.0, True)],
        "b": [calibrated.Cell("b", "t", "s", 0.501, 0.1, 1.0, True)],
        "c": [calibrated.Cell("c", "t", "s", 0.7, 0.1, 1.0, True)],
    }
    groups = calibrated.grouped_rows([(code, code.upper(), row) for code, row in cells.items()])
    assert [(g.zones, g.grouped) for g in groups] == [(("a", "b"), True), (("c",), False)]


def test_a_dwell_question_shows_the_interval_and_the_plot_against_h(client, users):
    client.force_login(users["practitioner"])
    page = client.get("/en/staff/dose/?question=dwell&zone=eyelid&technique=cotton_swab&skin=female").content.decode()
    result = page[page.index('data-testid="dwell-result"'):]
    assert "90 % interval" in result and "uncalibrated" in result and "Sobol" in result
    assert 'data-series="posterior of h (scaled)"' in result


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_api_records_readings_and_returns_the_calibration(client, users):
    client.force_login(users["practitioner"])
    body = {"technique": "cotton_swab", "kind": "surface_c", "instrument": "thermal_camera", "coolant_s": 5.0,
            "value": engine_surface(300.0)}  # fmt: skip
    created = post(client, "/api/dosimetry/readings", body)
    assert created.status_code == 201 and created.json()["flagged"] is False
    outlier = post(client, "/api/dosimetry/readings", body | {"value": 35.0}).json()
    assert outlier["flagged"] is True
    assert client.get(f"/api/dosimetry/readings/{outlier['id']}").json()["flagged"] is True
    found = client.get("/api/dosimetry/calibration/cotton_swab").json()
    assert found["posterior"]["calibrated"] and found["posterior"]["readings_used"] == 1
    assert [r["id"] for r in found["readings"]] == [outlier["id"], created.json()["id"]]
    dwell = post(client, "/api/dosimetry/dwell", {"zone": "eyelid", "technique": "cotton_swab", "skin": "female"})
    answer = dwell.json()
    assert answer["calibration"]["calibrated"] and answer["uncertainty"]["safe_dwell"]["calibrated"]
    interval = answer["uncertainty"]["safe_dwell"]
    assert interval["low"] <= interval["median"] <= interval["high"] and "coolant_h_w_m2k" in interval["sobol"]
    assert len(answer["against_h"]["h_w_m2k"]) == len(answer["against_h"]["answer"])


@pytest.mark.parametrize(
    ("change", "field"),
    [({"value": -900.0}, "value"), ({"technique": "laser"}, "technique"), ({"site": "elbow"}, "site"),
     ({"coolant_s": None}, "coolant_s"), ({"instrument": "guess"}, "instrument")],
)  # fmt: skip
def test_the_api_refuses_a_bad_reading_with_a_422_naming_the_field(client, users, change, field):
    client.force_login(users["admin"])
    body = {"technique": "cotton_swab", "kind": "surface_c", "instrument": "thermal_camera", "coolant_s": 5.0,
            "value": -20.0} | change  # fmt: skip
    response = post(client, "/api/dosimetry/readings", body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    assert CoolantReading.objects.count() == 0
    assert client.get("/api/dosimetry/calibration/laser").status_code == 422


def test_the_freeze_api_gives_every_answer_with_its_interval(client, users):
    client.force_login(users["practitioner"])
    body = {"zone": "zygoma", "skin": "female", "lesion_depth_mm": 1, "lesion_diameter_mm": 4,
            "lesion_kind": "benign"}  # fmt: skip
    answer = post(client, "/api/dosimetry/freeze", body).json()
    assert set(answer["uncertainty"]) == {"hold_s", "ice_depth_mm", "lateral_spread_mm", "thaw_s"}
    assert not answer["calibration"]["calibrated"]
    for interval in answer["uncertainty"].values():
        assert interval["low"] <= interval["median"] <= interval["high"]


def test_the_dose_pages_interval_and_calibration_read_in_russian(client, users):
    record(engine_surface(300.0))
    client.force_login(users["practitioner"])
    page = client.get("/ru/staff/dose/?question=dwell&zone=eyelid&technique=cotton_swab&skin=female").content.decode()
    assert "откалибровано по замерам этой клиники" in page and "не откалиброван" in page
    assert "90 % интервал" in page and "индексы Соболя" in page and "коэффициент хладагента" in page
    text = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"\b(Calibrated|uncalibrated|interval|Sobol)\b", text)
