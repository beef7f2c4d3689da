"""`POST /api/dosimetry/dwell` and `/api/dosimetry/freeze`: the freeze-dose answers for staff.

Out-of-range input is a 422 naming the field and its valid range (the engine's own limits). Every answer carries
`coolant_range`: the coolant coefficient's range and the published measurements that bound it; when that range
misses one of them, the answer is refused with a 409 naming the measurement (no range a measurement
contradicts is ever shown)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from cryoclinic.accounts.roles import STAFF_ROLES
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid, refuse_unless
from cryoclinic.dosimetry import answers, bounds

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


@router.post("/dwell", auth=SESSION_OR_TOKEN, response={200: dict[str, Any]} | errors(401, 403, 409, 422))
def dwell(request: HttpRequest, payload: DwellIn) -> Any:
    """Safe dwell: seconds the coolant may rest on one spot before the skin surface starts to freeze."""
    refused = refuse_unless(request, *STAFF_ROLES)
    if refused is not None:
        return refused
    passes = answers.Passes(payload.passes.count, payload.passes.contact_s, payload.passes.gap_s)
    try:
        return answers.safe_dwell(
            payload.zone, payload.technique, payload.skin, passes=passes, sensitivity=payload.sensitivity
        ).as_dict()
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
        return answers.freeze_hold(
            payload.zone,
            payload.skin,
            lesion,
            technique=payload.technique,
            max_hold_s=payload.max_hold_s,
            cycles=payload.cycles,
            sensitivity=payload.sensitivity,
        ).as_dict()
    except answers.InputError as error:
        return _refused(request, error)
    except bounds.RangeContradicted as error:
        return _contradicted(request, error)
