"""Every API operation, called as every role (session and bearer token alike), lets in exactly whom it should.

The operations are enumerated from the ninja routers, so a new endpoint without an entry below fails."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from cryoclinic.accounts import tokens
from cryoclinic.clinics.state import current_clinic
from cryoclinic.guidance import calibrate

pytestmark = pytest.mark.django_db

EVERYONE = {"anonymous", "admin", "practitioner", "reception", "client"}
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"admin", "practitioner", "reception"}
RECORDERS = {"admin", "practitioner"}
BOOKERS = {"admin", "reception"}


def _monday(plus_days: int = 0) -> str:
    today = timezone.localdate()
    return (today + dt.timedelta(days=7 - today.weekday() + plus_days)).isoformat()


def _course(world: dict[str, int]) -> dict[str, Any]:
    weekdays = [{"weekday": d, "start": "18:00", "end": "21:00"} for d in range(6)]
    return {"client": world["client"], "procedure": "facial-cryomassage", "start": _monday(), "availability": weekdays}


# "METHOD /api/path" -> (who gets past the gates, a request that is valid up to the role check).
# Past the gates means any answer but 401/403: a 404 or 422 from the operation itself shows it was reached.
MATRIX: dict[str, tuple[set[str], Any]] = {
    "GET /api/procedures": (EVERYONE, None),
    "GET /api/procedures/{slug}": (EVERYONE, None),
    "POST /api/screening": (EVERYONE, lambda w: {"procedure": "facial-cryomassage", "answers": {}}),
    "GET /api/directory/cities": (EVERYONE, None),
    "GET /api/directory/salons": (EVERYONE, None),
    "GET /api/directory/stats": (EVERYONE, None),
    "GET /api/clinics": (EVERYONE, None),
    "POST /api/courses/plan": (BOOKERS, _course),
    "POST /api/courses": (BOOKERS, _course),
    "GET /api/courses": (SIGNED_IN, None),
    "POST /api/courses/{course_id}/cancel": (BOOKERS, lambda w: {"reason": "matrix"}),
    "GET /api/clients": (STAFF, None),
    "POST /api/clients": (BOOKERS, lambda w: {"full_name": "Matrix Client", "phone": "+79123450099"}),
    "GET /api/clients/{client_id}": (SIGNED_IN, None),
    "PATCH /api/clients/{client_id}": (STAFF, lambda w: {"notes": "matrix"}),
    "GET /api/appointments": (SIGNED_IN, None),
    "PATCH /api/appointments/{appointment_id}": (STAFF, lambda w: {"status": "done"}),
    "GET /api/clinic": (STAFF, None),
    "GET /api/practitioners": (STAFF, None),
    "GET /api/rooms": (STAFF, None),
    "GET /api/calendar": (STAFF, lambda w: {"start": _monday(), "end": _monday(1)}),
    "POST /api/practitioners/{practitioner_id}/absences": (
        {"admin"},
        lambda w: {"starts_at": "2031-02-03T09:00:00Z", "ends_at": "2031-02-03T18:00:00Z"},
    ),
    "POST /api/clinic/closed-days": ({"admin"}, lambda w: {"date": "2031-02-04"}),
    "GET /api/appointments/{appointment_id}/session": (STAFF, None),
    "POST /api/appointments/{appointment_id}/session": (RECORDERS, None),
    "PATCH /api/appointments/{appointment_id}/session": (RECORDERS, lambda w: {"notes": "calm"}),
    "POST /api/appointments/{appointment_id}/session/complete": (RECORDERS, None),
    "GET /api/adverse-events": (STAFF, None),
    "POST /api/adverse-events": (
        RECORDERS,
        lambda w: {"client": w["client"], "procedure": "facial-cryomassage", "code": "other", "severity": "mild",
                   "onset_on": timezone.localdate().isoformat(), "description": "matrix"},
    ),
    "GET /api/clients/{client_id}/fhir": ({"admin", "practitioner", "client"}, None),
    "POST /api/dosimetry/dwell": (STAFF, lambda w: {"zone": "no-such-zone", "technique": "cotton_swab",
                                                     "skin": "female"}),
    "POST /api/dosimetry/freeze": (STAFF, lambda w: {"zone": "zygoma", "skin": "female", "lesion_depth_mm": 1e6,
                                                      "lesion_diameter_mm": 4, "lesion_kind": "benign"}),
    "GET /api/dosimetry/calibration/{technique}": (STAFF, None),
    "POST /api/dosimetry/readings": (RECORDERS, lambda w: {"technique": "cotton_swab", "kind": "surface_c",
                                                           "instrument": "thermal_camera", "value": -900}),
    "GET /api/dosimetry/readings/{reading_id}": (STAFF, None),
    "GET /api/clinics/{clinic_id}/slots": (EVERYONE, None),
    "POST /api/booking/{clinic_id}/intake": (SIGNED_IN, lambda w: {"procedure": "facial-cryomassage", "answers": {}}),
    "POST /api/booking/{clinic_id}/consent-codes": (SIGNED_IN, lambda w: {"procedure": "facial-cryomassage"}),
    "POST /api/booking/{clinic_id}/consents": (SIGNED_IN, lambda w: {"code_id": 987654, "code": "000000"}),
    "POST /api/booking/{clinic_id}/plan": (SIGNED_IN, lambda w: _choice()),
    "POST /api/booking/{clinic_id}/courses": (SIGNED_IN, lambda w: {**_choice(), "sessions": [f"{_monday()}T18:00"]}),
}


def _choice() -> dict[str, Any]:
    return {"procedure": "facial-cryomassage", "start": _monday(), "time": "18:00"}


def _operations() -> set[str]:
    from cryoclinic.api.api import api

    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                found |= {f"{method} /api{prefix}{path}" for method in operation.methods}
    return found


def test_the_matrix_names_every_api_operation():
    assert _operations() == set(MATRIX)


@pytest.fixture
def world(users, demo, link_client) -> dict[str, int]:
    """The client role owns a client record, the practitioner role the appointment's practitioner."""
    from cryoclinic.clients.models import Client
    from cryoclinic.scheduling.models import Course
    from cryoclinic.treatments.demo import load_demo_session

    record = Client.objects.order_by("pk").first()
    link_client(record, users["client"])
    appointment = load_demo_session(current_clinic(), record)
    appointment.practitioner.user = users["practitioner"]
    appointment.practitioner.save()
    course = Course.objects.create(
        client=record, procedure="facial-cryomassage", knowledge_version="matrix",
        rules={"sessions": 10, "min_gap_days": 2, "max_gap_days": 3, "session_duration_min": 20},
    )
    reading = calibrate.record(technique="cotton_swab", kind="frost_s", site="forearm", instrument="eye",
                               value=1.0, coolant_s=None)
    return {"client": record.pk, "appointment": appointment.pk, "practitioner": appointment.practitioner_id,
            "course": course.pk, "reading": reading.pk, "clinic": current_clinic().pk}


def _url(operation: str, world: dict[str, int]) -> str:
    path = operation.split(" ", 1)[1]
    return (
        path.replace("{slug}", "cryodestruction")
        .replace("{appointment_id}", str(world["appointment"]))
        .replace("{practitioner_id}", str(world["practitioner"]))
        .replace("{client_id}", str(world["client"]))
        .replace("{course_id}", str(world["course"]))
        .replace("{technique}", "cotton_swab")
        .replace("{reading_id}", str(world["reading"]))
        .replace("{clinic_id}", str(world["clinic"]))
    )


def _call(client, operation: str, world: dict[str, int], **headers: str):
    method = operation.split(" ", 1)[0].lower()
    make_body = MATRIX[operation][1]
    data = json.dumps(make_body(world)) if make_body else None
    kwargs: dict[str, Any] = {"content_type": "application/json", "data": data} if method != "get" else {}
    if method == "get" and make_body:  # a GET's valid request is its query
        kwargs = {"data": make_body(world)}
    return getattr(client, method)(_url(operation, world), headers=headers, **kwargs)


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_role_reaches_exactly_the_api_operations_it_should(users, world, operation):
    """Every role in turn (each with a browser of its own, by token and by session) on one operation: the world is
    made once per operation; only the gates are asserted, so an earlier role's write does not change the answer."""
    from django.test import Client as Browser

    for who in sorted(EVERYONE):
        _reaches_exactly_the_operation(Browser(), users, world, operation, who)


def _reaches_exactly_the_operation(client, users, world, operation: str, who: str) -> None:
    allowed = who in MATRIX[operation][0]
    headers = {}
    if who != "anonymous":
        _token, raw = tokens.issue(users[who], "matrix")
        headers = {"Authorization": f"Bearer {raw}"}
    by_token = _call(client, operation, world, **headers)
    if who != "anonymous":
        client.force_login(users[who])
    by_session = _call(client, operation, world)
    for response in (by_token, by_session):
        assert response.status_code < 500, (who, operation, response.content)
        if allowed:
            assert response.status_code not in (401, 403), (who, operation, response.status_code, response.content)
        else:
            assert response.status_code == (401 if who == "anonymous" else 403), (who, operation, response.status_code)
            assert set(response.json()) == {"detail", "errors"}
