"""`POST /api/dosimetry/dwell` and `/api/dosimetry/freeze`: the freeze-dose answers for staff, each with its
uncertainty over the clinic's calibration of the technique (`uncertainty`, `calibration`, `against_h`: the same
figures the dose page shows); `GET /api/dosimetry/calibration/{technique}`, `POST /api/dosimetry/readings` and
`GET /api/dosimetry/readings/{reading_id}`: the clinic's readings of its coolant and the posterior they give.

Out-of-range input is a 422 naming the field and its valid range (the engine's own limits). Every answer carries
`coolant_range`: the coolant coefficient's range and the published measurements that bound it; when that range
misses one of them, the answer is refused with a 409 naming the measurement (no range a measurement
contradicts is ever shown)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from cryoclinic.accounts.roles import ADMIN, PRACTITIONER, STAFF_ROLES
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid, refuse_unless
from cryoclinic.dosimetry import answers, bounds

from . import calibrate, calibrated
from .models import CoolantReading

router = Router(tags=["dosimetry"])


class PassesIn(Schema):
    count: int = 0
    contact_s: float = 0.5
    gap_s: float = 5.0


class DwellIn(Schema):
    zone: str
    technique: str
    skin: str
    passes: PassesIn = PassesIn()
    sensitivity: bool = False


class FreezeIn(Schema):
    zone: str
    skin: str
    technique: str = "ln2_cauterization"
    lesion_depth_mm: float
    margin_mm: float = 1.0
    lesion_diameter_mm: float
    lesion_kind: str
    cycles: int = 1
    max_hold_s: float = 120.0
    sensitivity: bool = False


def _refused(request: HttpRequest, error: answers.InputError) -> HttpResponse:
    field = {
        "count": "passes.count",
        "passes": "passes.count",
        "contact_s": "passes.contact_s",
        "gap_s": "passes.gap_s",
    }.get(error.field, error.field)
    return invalid(request, field, error.message)


def _contradicted(request: HttpRequest, error: bounds.RangeContradicted) -> HttpResponse:
    return invalid(request, "", str(error), status=409)


def _uncertain(found: dict[str, Any], intervals: dict[str, Any]) -> dict[str, Any]:
    """What every answer adds: its intervals, the clinic's calibration they rest on, the answer against h."""
    return {"uncertainty": intervals, "calibration": found["posterior"].as_dict(), "against_h": found["curve"]}


@router.post("/dwell", auth=SESSION_OR_TOKEN, response={200: dict[str, Any]} | errors(401, 403, 409, 422))
def dwell(request: HttpRequest, payload: DwellIn) -> Any:
    """Safe dwell: seconds the coolant may rest on one spot before the skin surface starts to freeze."""
    refused = refuse_unless(request, *STAFF_ROLES)
    if refused is not None:
        return refused
    passes = answers.Passes(payload.passes.count, payload.passes.contact_s, payload.passes.gap_s)
    try:
        central = answers.safe_dwell(
            payload.zone, payload.technique, payload.skin, passes=passes, sensitivity=payload.sensitivity
        )
        found = calibrated.dwell_answer(payload.zone, payload.technique, payload.skin, passes)
        return {**central.as_dict(), **_uncertain(found, {"safe_dwell": found["interval"].as_dict()})}
    except answers.InputError as error:
        return _refused(request, error)
    except bounds.RangeContradicted as error:
        return _contradicted(request, error)


@router.post("/freeze", auth=SESSION_OR_TOKEN, response={200: dict[str, Any]} | errors(401, 403, 409, 422))
def freeze(request: HttpRequest, payload: FreezeIn) -> Any:
    """Hold time for the lesion's lethal isotherm to reach its depth plus the margin, the ice and the thaw."""
    refused = refuse_unless(request, *STAFF_ROLES)
    if refused is not None:
        return refused
    lesion = answers.Lesion(payload.lesion_depth_mm, payload.margin_mm, payload.lesion_diameter_mm, payload.lesion_kind)
    try:
        central = answers.freeze_hold(
            payload.zone,
            payload.skin,
            lesion,
            technique=payload.technique,
            max_hold_s=payload.max_hold_s,
            cycles=payload.cycles,
            sensitivity=payload.sensitivity,
        )
        found = calibrated.freeze_answer(
            payload.zone, payload.skin, lesion, payload.technique, payload.cycles, payload.max_hold_s
        )
        intervals = {name: interval.as_dict() for name, interval in found["intervals"].items()}
        return {**central.as_dict(), **_uncertain(found, intervals)}
    except answers.InputError as error:
        return _refused(request, error)
    except bounds.RangeContradicted as error:
        return _contradicted(request, error)


class ReadingIn(Schema):
    technique: str
    kind: str
    site: str = "forearm"
    instrument: str
    value: float
    coolant_s: float | None = None
    note: str = ""


class ReadingOut(Schema):
    id: int
    technique: str
    kind: str
    site: str
    instrument: str
    value: float
    coolant_s: float | None
    note: str
    recorded_at: dt.datetime
    flagged: bool


def _reading_out(reading: CoolantReading, flagged: bool) -> dict[str, Any]:
    fields = ("id", "technique", "kind", "site", "instrument", "value", "coolant_s", "note", "recorded_at")
    return {**{name: getattr(reading, name) for name in fields}, "flagged": flagged}


def _flagged_ids(technique: str) -> tuple[Any, list[CoolantReading], set[int]]:
    posterior, readings = calibrate.posterior(technique)
    return posterior, readings, {readings[i].pk for i in posterior.flagged}


@router.get(
    "/calibration/{technique}", auth=SESSION_OR_TOKEN, response={200: dict[str, Any]} | errors(401, 403, 422)
)
def calibration(request: HttpRequest, technique: str) -> Any:
    """The clinic's calibration of a technique: the coefficient's posterior and the readings (newest first)."""
    refused = refuse_unless(request, *STAFF_ROLES)
    if refused is not None:
        return refused
    if technique not in calibrate.techniques():
        return invalid(request, "technique", f"must be one of {', '.join(calibrate.techniques())}")
    posterior, readings, flagged = _flagged_ids(technique)
    return {
        "technique": technique,
        "posterior": posterior.as_dict(),
        "readings": [_reading_out(r, r.pk in flagged) for r in reversed(readings)],
    }


@router.post("/readings", auth=SESSION_OR_TOKEN, response={201: ReadingOut} | errors(401, 403, 422))
def record_reading(request: HttpRequest, payload: ReadingIn) -> Any:
    """Record one reading of the clinic's coolant (422 naming the field when the engine cannot use it)."""
    refused = refuse_unless(request, ADMIN, PRACTITIONER)
    if refused is not None:
        return refused
    try:
        reading = calibrate.record(**payload.dict(), user=request.user)
    except calibrate.CalibrationError as error:
        return invalid(request, error.field, error.message)
    flagged = reading.pk in _flagged_ids(reading.technique)[2]
    return Status(201, _reading_out(reading, flagged))


@router.get("/readings/{reading_id}", auth=SESSION_OR_TOKEN, response={200: ReadingOut} | errors(401, 403, 404, 422))
def reading(request: HttpRequest, reading_id: int) -> Any:
    """One reading of this clinic (another clinic's is a 404), flagged when no coefficient explains it."""
    refused = refuse_unless(request, *STAFF_ROLES)
    if refused is not None:
        return refused
    found = get_object_or_404(CoolantReading, pk=reading_id)
    return _reading_out(found, found.pk in _flagged_ids(found.technique)[2])
