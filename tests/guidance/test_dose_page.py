"""The staff dose page: the dwell table for every zone, technique and skin, and the two questions with plots."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from tests.dosimetry.datafile import edited_data, film_boiling_only

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_dwell_table_in_both_languages(client, users):
    client.force_login(users["practitioner"])
    page = client.get("/en/staff/dose/").content.decode()
    rows = re.findall(r'data-zones="([^"]+)"', page)
    assert sorted(z for row in rows for z in row.split()) == sorted(
        ["forehead", "glabella", "temple", "eyelid", "nasal_dorsum", "zygoma", "submandibular", "neck"]
    )
    assert page.count('data-technique="') == 4 * len(rows) and "Eyelid" in page and "Meng Y" in page
    assert "Веко" in client.get("/ru/staff/dose/").content.decode()


def test_a_hold_question_draws_the_temperature_depth_plot(client, users):
    client.force_login(users["admin"])
    query = ("question=freeze&zone=zygoma&skin=female&technique=ln2_cauterization&lesion_kind=benign"
             "&lesion_depth_mm=1&margin_mm=1&lesion_diameter_mm=10&cycles=1")
    response = client.get(f"/en/staff/dose/?{query}")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="freeze-result"' in page
    assert "beyond the applicator's edge" in page.replace("&#x27;", "'") and "Thaw after lifting" in page
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 3
    assert [p.get("data-series") for p in ET.fromstring(svgs[0]).findall("polyline")] == [
        "hold, s", "posterior of h (scaled)"
    ]
    for svg in svgs[1:]:
        assert len(ET.fromstring(svg).findall("polyline")) >= 4


def test_the_page_says_which_measurements_bound_the_coolant_range_in_both_languages(client, users):
    client.force_login(users["practitioner"])
    english = client.get("/en/staff/dose/").content.decode()
    section = english[english.index('data-testid="coolant-range"') :]
    assert "100–750 W/m²K" in section and "[kida1981]" in section
    assert "−60 °C after 5 s" in section and "[erdmann2023]" in section and "derived, not measured" in section
    assert re.search(r"reproduced at \d+ W/m²K", section)
    russian = client.get("/ru/staff/dose/").content.decode()
    section = russian[russian.index('data-testid="coolant-range"') :]
    assert "до −60 °C за 5 с" in section and "[erdmann2023]" in section and "Вт/м²К" in section


def test_a_coolant_range_that_misses_a_measurement_shows_no_dwell(client, users, tmp_path):
    client.force_login(users["practitioner"])
    with edited_data(tmp_path, film_boiling_only):
        page = client.get("/en/staff/dose/?question=dwell&zone=eyelid&technique=cotton_swab&skin=female").content
        page_ru = client.get("/ru/staff/dose/").content.decode()
    text = page.decode()
    assert 'data-testid="dose-refused"' in text and "100–300 W/m²K" in text and "−60 °C" in text
    assert 'data-zones="' not in text and "dwell-result" not in text
    assert 'data-testid="dose-refused"' in page_ru and 'data-zones="' not in page_ru


def test_a_dwell_question_after_passes_gives_a_shorter_dwell(client, users):
    client.force_login(users["practitioner"])
    query = "question=dwell&zone=eyelid&technique=cotton_swab&skin=female&passes=3&contact_s=0.02&gap_s=0.5"
    page = client.get(f"/en/staff/dose/?{query}").content.decode()
    assert 'data-testid="dwell-result"' in page and "Safe dwell now" in page


def test_out_of_range_input_is_shown_on_the_form_with_a_422(client, users):
    client.force_login(users["practitioner"])
    query = ("question=freeze&zone=zygoma&skin=female&technique=ln2_cauterization&lesion_kind=benign"
             "&lesion_depth_mm=9&margin_mm=1&lesion_diameter_mm=4&cycles=1")
    response = client.get(f"/en/staff/dose/?{query}")
    assert response.status_code == 422 and "must be between 0.1 and 5" in response.content.decode()
    response = client.get("/en/staff/dose/?question=dwell&zone=chin&technique=cotton_swab&skin=female")
    assert response.status_code == 422
