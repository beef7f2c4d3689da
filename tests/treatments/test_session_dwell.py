"""The session screen shows the freeze-dose engine's safe dwell for the zones and technique being recorded."""

from __future__ import annotations

import pytest
from tests.dosimetry.datafile import edited_data, film_boiling_only

from cryoclinic.dosimetry.answers import safe_dwell
from cryoclinic.treatments import services

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_the_dwell_for_the_treated_zones_and_technique_is_shown(client, appointment, practitioner_user):
    record = services.open_session(appointment, by=practitioner_user)
    fill(record, practitioner_user, technique="pressure_device", zones=["eyelid", "neck"])
    client.force_login(practitioner_user)
    page = client.get(f"/en/staff/appointments/{appointment.pk}/session/").content.decode()
    section = page[page.index('data-testid="session-dwell"'):]
    section = section[: section.index("</section>")]
    assert "Pressurised device" in section
    assert 'data-zone="eyelid"' in section and 'data-zone="neck"' in section and 'data-zone="forehead"' not in section
    expected = safe_dwell("eyelid", "pressure_device", "female").dwell_s
    assert f"{expected:.2f} s" in section


def test_the_dwell_comes_from_the_clinics_calibration_of_the_technique(client, appointment, practitioner_user):
    from cryoclinic.guidance import calibrate, calibrated

    for value in (-18.0, -20.0):
        calibrate.record(technique="pressure_device", kind="surface_c", site="forearm", instrument="thermal_camera",
                         value=value, coolant_s=5.0)  # fmt: skip
    record = services.open_session(appointment, by=practitioner_user)
    fill(record, practitioner_user, technique="pressure_device", zones=["eyelid"])
    client.force_login(practitioner_user)
    page = client.get(f"/en/staff/appointments/{appointment.pk}/session/").content.decode()
    section = page[page.index('data-testid="session-dwell"'):]
    assert "Calibrated on this clinic" in section and "2 readings" in section.replace("&#x27;", "'")
    cell = calibrated.dwell_cell("eyelid", "pressure_device", "female", calibrate.posterior("pressure_device")[0])
    assert cell.calibrated and f"{cell.dwell_s:.2f} s <small>({cell.shortest_s:.2f}–{cell.longest_s:.2f})" in section


def test_before_zones_are_marked_every_zone_is_listed(client, appointment, practitioner_user):
    services.open_session(appointment, by=practitioner_user)
    client.force_login(practitioner_user)
    page = client.get(f"/en/staff/appointments/{appointment.pk}/session/").content.decode()
    assert page.count('<tr data-zone="') == 8


def test_a_procedure_without_a_moving_technique_shows_no_dwell(client, cryo_appointment, practitioner_user):
    services.open_session(cryo_appointment, by=practitioner_user)
    client.force_login(practitioner_user)
    page = client.get(f"/en/staff/appointments/{cryo_appointment.pk}/session/").content.decode()
    assert 'data-testid="session-dwell"' not in page


def test_no_dwell_is_shown_when_the_coolant_range_misses_a_measurement(
    client, appointment, practitioner_user, tmp_path
):
    services.open_session(appointment, by=practitioner_user)
    client.force_login(practitioner_user)
    with edited_data(tmp_path, film_boiling_only):
        page = client.get(f"/en/staff/appointments/{appointment.pk}/session/").content.decode()
    assert 'data-testid="session-dwell-refused"' in page and '<tr data-zone="' not in page
