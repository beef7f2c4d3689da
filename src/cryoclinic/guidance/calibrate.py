"""The clinic's calibration of its coolant, per technique: recording a reading (checked by the engine's own
limits, so every path — page, API — refuses the same readings) and the posterior of the coefficient it gives."""

from __future__ import annotations

from typing import Any

from cryoclinic.dosimetry import calibration
from cryoclinic.dosimetry.data import load

from .models import CoolantReading


class CalibrationError(ValueError):
    """A reading refused: names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def techniques() -> list[str]:
    """The techniques a clinic calibrates: every technique of the dose data (each has its own coolant delivery)."""
    return list(load().techniques)


def record(
    *,
    technique: str,
    kind: str,
    site: str,
    instrument: str,
    value: float,
    coolant_s: float | None,
    note: str = "",
    user: Any = None,
) -> CoolantReading:
    """Store one reading of the active clinic, or raise `CalibrationError` naming the field (nothing stored)."""
    if technique not in techniques():
        raise CalibrationError("technique", f"must be one of {', '.join(techniques())}")
    if instrument not in CoolantReading.Instrument.values:
        raise CalibrationError("instrument", f"must be one of {', '.join(CoolantReading.Instrument.values)}")
    if kind == "frost_s":
        coolant_s = None
    reading = CoolantReading(
        technique=technique,
        kind=kind,
        site=site,
        instrument=instrument,
        value=value,
        coolant_s=coolant_s,
        note=note[:300],
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    try:
        calibration.checked(reading.as_reading())
    except calibration.ReadingError as error:
        field = "value" if error.field in ("surface_c", "frost_s") else error.field
        raise CalibrationError(field, error.message) from error
    reading.save()
    return reading


def history(technique: str) -> list[CoolantReading]:
    """The clinic's readings for the technique, newest first."""
    return list(CoolantReading.objects.filter(technique=technique))


def posterior(technique: str) -> tuple[calibration.Posterior, list[CoolantReading]]:
    """The coefficient's posterior from the clinic's readings for the technique (the prior, marked uncalibrated,
    when there are none), and the readings, oldest first as the posterior's `flagged` indices count them."""
    readings = list(reversed(history(technique)))
    return calibration.posterior([r.as_reading() for r in readings]), readings
