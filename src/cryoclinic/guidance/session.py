"""The safe dwell shown on a treatment session's screen: for the zones and technique being recorded, from the
clinic's calibration of that technique (`calibrated`), or marked uncalibrated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cryoclinic.dosimetry import answers, bounds
from cryoclinic.dosimetry.calibration import Posterior
from cryoclinic.dosimetry.data import load
from cryoclinic.languages import content_language

from . import calibrate, calibrated


@dataclass(frozen=True)
class DwellRow:
    zone: str
    zone_name: str
    cells: tuple[calibrated.Cell, ...]  # one per skin profile, in the data's order


@dataclass(frozen=True)
class SessionDwell:
    technique: str
    technique_name: str
    skins: tuple[str, ...]
    rows: tuple[DwellRow, ...]
    refused: bool = False  # the coolant's range misses a cited measurement: no figure is shown
    posterior: Posterior | None = None  # the clinic's calibration of the technique


def session_dwell(procedure: str, technique: str, zones: Sequence[str]) -> SessionDwell | None:
    """Dwell rows for the treated zones (all zones while none is marked), or None when the dose engine has no
    moving technique for this procedure; no rows and `refused` when the coolant's range misses a cited
    measurement."""
    data, language = load(), content_language()
    moving = [code for code, t in data.techniques.items() if t.procedure == procedure and t.mode != "hold"]
    if not moving:
        return None
    chosen = technique if technique in moving else moving[0]
    shown = [zone for zone in zones if zone in data.zones] or list(data.zones)
    skins = tuple(str(profile[language]) for profile in data.profiles.values())
    try:
        answers.checked_coolant_range(data)
    except bounds.RangeContradicted:
        return SessionDwell(chosen, data.techniques[chosen].name[language], skins, (), refused=True)
    posterior = calibrate.posterior(chosen)[0]
    rows = tuple(
        DwellRow(
            zone,
            data.zones[zone].name[language],
            tuple(calibrated.dwell_cell(zone, chosen, skin, posterior) for skin in data.profiles),
        )
        for zone in shown
    )
    return SessionDwell(chosen, data.techniques[chosen].name[language], skins, rows, posterior=posterior)
