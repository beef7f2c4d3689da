"""`POST /api/dosimetry/dwell` and `/freeze`: staff get answers; bad input is a 422 naming the field and range."""

from __future__ import annotations

import json

import pytest
from tests.dosimetry.datafile import edited_data, film_boiling_only

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_practitioner_gets_the_safe_dwell(client, users):
    client.force_login(users["practitioner"])
    response = post(client, "/api/dosimetry/dwell", {"zone": "eyelid", "technique": "cotton_swab", "skin": "female"})
    assert response.status_code == 200
    body = response.json()
    assert body["shortest_s"] < body["dwell_s"] < body["longest_s"] and body["sources"]
    bounding = body["coolant_range"]
    assert (bounding["low_w_m2k"], bounding["high_w_m2k"]) == (100, 750)
    measured = {m["code"]: m for m in bounding["measurements"]}
    assert measured["erdmann2023_surface_5s"]["measured"] == -60 and measured["erdmann2023_surface_5s"]["unit"] == "°C"
    assert all(m["reproduced_at_w_m2k"] and m["sources"] == ["erdmann2023"] for m in measured.values())


def test_an_answer_whose_coolant_range_misses_a_measurement_is_refused(client, users, tmp_path):
    client.force_login(users["practitioner"])
    dwell = {"zone": "eyelid", "technique": "cotton_swab", "skin": "female"}
    freeze = {"zone": "zygoma", "skin": "female", "lesion_depth_mm": 1, "lesion_diameter_mm": 10,
              "lesion_kind": "benign"}
    with edited_data(tmp_path, film_boiling_only):
        responses = [post(client, "/api/dosimetry/dwell", dwell), post(client, "/api/dosimetry/freeze", freeze)]
    for response in responses:
        assert response.status_code == 409
        assert "erdmann2023_surface_5s" in response.json()["errors"][0]["message"]


def test_earlier_passes_are_taken_into_account(client, users):
    client.force_login(users["admin"])
    base = {"zone": "forehead", "technique": "pressure_device", "skin": "male"}
    fresh = post(client, "/api/dosimetry/dwell", base).json()["dwell_s"]
    after = post(client, "/api/dosimetry/dwell", {**base, "passes": {"count": 3, "contact_s": 0.02, "gap_s": 0.5}})
    assert after.status_code == 200 and after.json()["dwell_s"] < fresh


def test_a_freeze_answer_has_the_hold_the_isotherms_and_the_thaw(client, users):
    client.force_login(users["practitioner"])
    body = {"zone": "zygoma", "skin": "female", "lesion_depth_mm": 1, "margin_mm": 1, "lesion_diameter_mm": 10,
            "lesion_kind": "benign"}
    response = post(client, "/api/dosimetry/freeze", body)
    assert response.status_code == 200
    result = response.json()
    assert result["hold_s"] > 0 and result["thaw_s"] > 0 and result["target_mm"] == 2
    assert result["lateral_spread_mm"] > 0 and result["wide_contact"]["hold_s"] < result["hold_s"]
    assert set(result["cycles"][0]["isotherm_depth_mm"]) == {"0", "-20", "-40", "-50"}


@pytest.mark.parametrize(
    ("path", "body", "field", "text"),
    [
        ("/api/dosimetry/freeze", {"lesion_depth_mm": 7}, "lesion_depth_mm", "between 0.1 and 5"),
        ("/api/dosimetry/freeze", {"lesion_kind": "mole"}, "lesion_kind", "benign"),
        ("/api/dosimetry/freeze", {"cycles": 0}, "cycles", "between 1 and 3"),
        ("/api/dosimetry/dwell", {"zone": "chin"}, "zone", "forehead"),
        ("/api/dosimetry/dwell", {"passes": {"count": 2, "gap_s": 0}}, "passes.gap_s", "between 0.2 and 60"),
        ("/api/dosimetry/dwell", {"skin": 3}, "skin", ""),
    ],
)
def test_out_of_range_input_is_a_422_naming_the_field(client, users, path, body, field, text):
    client.force_login(users["practitioner"])
    defaults = (
        {"zone": "forehead", "skin": "female", "lesion_depth_mm": 1, "lesion_diameter_mm": 4, "lesion_kind": "benign"}
        if path.endswith("freeze")
        else {"zone": "forehead", "technique": "cotton_swab", "skin": "female"}
    )
    response = post(client, path, {**defaults, **body})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == field and text in error["message"]


def test_clients_and_anonymous_users_are_refused(client, users):
    body = {"zone": "forehead", "technique": "cotton_swab", "skin": "female"}
    assert post(client, "/api/dosimetry/dwell", body).status_code == 401
    client.force_login(users["client"])
    assert post(client, "/api/dosimetry/dwell", body).status_code == 403
