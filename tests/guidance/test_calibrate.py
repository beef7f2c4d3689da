"""A clinic's readings per technique give its coolant's posterior; readings of another clinic or technique do
not count; a bad reading is refused naming its field and stores nothing."""

from __future__ import annotations

import numpy as np
import pytest

from cryoclinic.clinics import state
from cryoclinic.dosimetry import calibration
from cryoclinic.guidance import calibrate
from cryoclinic.guidance.models import CoolantReading

pytestmark = pytest.mark.django_db


def engine_surface(h: float, coolant_s: float = 5.0) -> float:
    figures = calibration.predicted(calibration.Reading("surface_c", 0.0, coolant_s, "forearm"))
    return float(np.interp(np.log(h), np.log(calibration.grid()), figures))


def add(value: float, technique: str = "cotton_swab", **extra) -> CoolantReading:
    fields = {"kind": "surface_c", "site": "forearm", "instrument": "thermal_camera", "coolant_s": 5.0} | extra
    return calibrate.record(technique=technique, value=value, **fields)


def test_the_clinics_readings_calibrate_its_technique(clinic, other_clinic):
    for offset in (-1.0, 0.0, 1.0):
        add(engine_surface(300.0) + offset)
    found, readings = calibrate.posterior("cotton_swab")
    assert found.calibrated and found.used == 3 and len(readings) == 3
    assert found.low_w_m2k <= 300.0 <= found.high_w_m2k
    assert not calibrate.posterior("pressure_device")[0].calibrated
    with state.activate(other_clinic):
        assert calibrate.history("cotton_swab") == []
        assert not calibrate.posterior("cotton_swab")[0].calibrated


def test_an_unexplainable_reading_is_kept_in_the_history_and_flagged():
    add(engine_surface(300.0))
    outlier = add(35.0)
    found, readings = calibrate.posterior("cotton_swab")
    assert readings[found.flagged[0]] == outlier and found.used == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"technique": "laser"}, "technique"),
        ({"instrument": "guess"}, "instrument"),
        ({"site": "elbow"}, "site"),
        ({"kind": "colour"}, "kind"),
        ({"coolant_s": 0.0}, "coolant_s"),
        ({"value": -500.0}, "value"),
    ],
)
def test_a_bad_reading_is_refused_naming_its_field_and_nothing_is_stored(extra, field):
    with pytest.raises(calibrate.CalibrationError) as refused:
        add(**({"value": -20.0} | extra))
    assert refused.value.field == field
    assert CoolantReading.objects.count() == 0
