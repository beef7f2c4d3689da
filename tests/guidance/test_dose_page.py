"""The staff dose page: the dwell table for every zone, technique and skin, and the two questions with plots."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_dwell_table_in_both_languages(client, users):
    client.force_login(users["practitioner"])
    page = client.get("/en/staff/dose/").content.decode()
    assert page.count('data-zone="') == 32 and "Eyelid" in page and "Meng Y" in page
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
    assert len(svgs) == 2
    for svg in svgs:
        assert len(ET.fromstring(svg).findall("polyline")) >= 4


def test_a_dwell_question_after_passes_gives_a_shorter_dwell(client, users):
    client.force_login(users["practitioner"])
    query = "question=dwell&zone=eyelid&technique=cotton_swab&skin=female&passes=3&contact_s=0.2&gap_s=5"
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
