"""Every page and API operation, as every role of clinic A, on clinic B's records.

For each call the test compares B's record with a record that exists nowhere: the answers must be the same
(status and body), so nothing of B's existence leaks; where A's role may use the operation at all, that answer
is a 404, never a 403. Nothing of B's changes, and the attempt is in A's audit log. The pages and operations
are enumerated from the URL map and the API's routers: a new one without an entry here fails."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from cryoclinic.accounts import tokens
from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client, DeletionRequest
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.rls import clinic_owned_models
from cryoclinic.demo import SECOND_CLINIC_SLUG
from cryoclinic.guidance import calibrate
from cryoclinic.nitrogen.models import Dewar
from cryoclinic.scheduling import feeds
from cryoclinic.scheduling.demo import load_demo_courses
from cryoclinic.scheduling.models import Course, Practitioner
from cryoclinic.treatments import events, outcomes, services
from cryoclinic.treatments.demo import load_demo_session
from cryoclinic.treatments.models import FollowUpTask

pytestmark = pytest.mark.django_db

NOWHERE = 987_654_321
ROLES = ("admin", "practitioner", "reception", "client")
STAFF = {"admin", "practitioner", "reception"}
RECORDERS = {"admin", "practitioner"}
MASSAGE = "facial-cryomassage"


@dataclass(frozen=True)
class Call:
    method: str
    url: str  # with {client}, {appointment}, {photo}, {event}, {task}, {dewar}, {practitioner}, {course}, {reading}
    allowed: set[str]  # A's roles that get past the role gate: B's record must be a 404 for them
    data: dict[str, Any] | None = None


# Pages: route (as in the URL map) -> the calls that name one of B's records.
PAGES: dict[str, list[Call]] = {
    "staff/clients/<int:pk>/": [Call("GET", "/en/staff/clients/{client}/", STAFF)],
    "staff/clients/<int:pk>/fhir.json": [Call("GET", "/en/staff/clients/{client}/fhir.json", RECORDERS)],
    "staff/clients/<int:pk>/procedures/<slug:slug>/": [
        Call("GET", f"/en/staff/clients/{{client}}/procedures/{MASSAGE}/", STAFF),
        Call("POST", f"/en/staff/clients/{{client}}/procedures/{MASSAGE}/", STAFF,
             {"action": "consent", "consent-language": "ru", "consent-signed_on": "2026-11-30"}),
    ],
    "staff/clients/<int:pk>/procedures/<slug:slug>/intake/": [
        Call("GET", f"/en/staff/clients/{{client}}/procedures/{MASSAGE}/intake/", RECORDERS),
        Call("POST", f"/en/staff/clients/{{client}}/procedures/{MASSAGE}/intake/", RECORDERS, {"herpes": "no"}),
    ],
    "staff/clients/<int:pk>/procedures/<slug:slug>/<str:kind>-<str:language>.pdf": [
        Call("GET", f"/en/staff/clients/{{client}}/procedures/{MASSAGE}/consent-ru.pdf", STAFF),
    ],
    "staff/appointments/<int:pk>/session/": [
        Call("GET", "/en/staff/appointments/{appointment}/session/", STAFF),
        Call("POST", "/en/staff/appointments/{appointment}/session/", RECORDERS, {"action": "open"}),
    ],
    "staff/appointments/<int:pk>/session/rescreen/": [
        Call("GET", "/en/staff/appointments/{appointment}/session/rescreen/", RECORDERS),
        Call("POST", "/en/staff/appointments/{appointment}/session/rescreen/", RECORDERS, {"herpes": "no"}),
    ],
    "staff/appointments/<int:pk>/session/correct/": [
        Call("GET", "/en/staff/appointments/{appointment}/session/correct/", RECORDERS),
        Call("POST", "/en/staff/appointments/{appointment}/session/correct/", RECORDERS, {"reason": "x"}),
    ],
    "staff/appointments/<int:pk>/outcomes/": [
        Call("GET", "/en/staff/appointments/{appointment}/outcomes/", STAFF),
        Call("POST", "/en/staff/appointments/{appointment}/outcomes/", RECORDERS, {"action": "score"}),
    ],
    "photos/<int:pk>/": [Call("GET", "/en/photos/{photo}/", STAFF | {"client"})],
    "account/sessions/<int:pk>/move/": [
        Call("GET", "/en/account/sessions/{appointment}/move/", {"client"}),
        Call("POST", "/en/account/sessions/{appointment}/move/", {"client"}, {"starts_at": "2031-02-03T10:00"}),
    ],
    "account/sessions/<int:pk>/cancel/": [Call("POST", "/en/account/sessions/{appointment}/cancel/", {"client"})],
    "account/courses/<int:pk>/deposit/": [
        Call("GET", "/en/account/courses/{course}/deposit/", {"client"}),
        Call("POST", "/en/account/courses/{course}/deposit/", {"client"}),
    ],
    "account/courses/<int:pk>/deposit/return/": [
        Call("GET", "/en/account/courses/{course}/deposit/return/", {"client"}),
    ],
    # Records named in a form's body rather than the path:
    "staff/adverse-events/": [
        Call("POST", "/en/staff/adverse-events/", RECORDERS, {"event": "{event}", "resolved_on": "2026-11-30"}),
    ],
    "staff/tasks/": [Call("POST", "/en/staff/tasks/", STAFF, {"task": "{task}"})],
    "book/done/<int:course_id>/": [Call("GET", "/en/book/done/{course}/", STAFF | {"client"})],
    "staff/booking-requests/": [
        Call("POST", "/en/staff/booking-requests/", {"admin", "reception"},
             {"course": "{course}", "decision": "confirm"}),
    ],
    "staff/deletion-requests/": [Call("POST", "/en/staff/deletion-requests/", {"admin"}, {"request": "{deletion}"})],
    "staff/nitrogen/": [
        Call("POST", "/en/staff/nitrogen/", STAFF, {"dewar": "{dewar}", "kind": "reading", "level_l": "1"}),
    ],
}
# Routes with a parameter that names no clinic's record, and why.
NOT_CLINIC_RECORDS = {
    "procedures/<slug:slug>/": "a procedure of the shared knowledge base",
    "procedures/<slug:slug>/self-check/": "a procedure of the shared knowledge base",
    "account/procedures/<slug:slug>/<str:kind>-<str:language>.pdf": "the signed-in client's own record only",
    "directory/salons/<int:pk>/": "the platform's directory",
    "directory/salons/<int:pk>/request/": "the platform's directory",
    "directory/salons/<int:pk>/request/<int:request_id>/": "the platform's directory (the browser's own request)",
    "directory/salons/<int:pk>/review/": "the platform's directory",
    "staff/reports/<slug:slug>.csv": "a report of the active clinic, no record named",
    "staff/salons/<int:pk>/claim/": "a salon of the platform's directory (a claim is the platform's to decide)",
    "platform/directory/claims/<int:pk>/": "the platform admin's decision on a claim",
    "platform/directory/rows/<int:pk>/confirm/": "the platform admin's import queue",
    "platform/reviews/<int:pk>/": "the platform admin's moderation of a review (the platform's directory)",
    "calendar/<str:token>.ics": "the token is the credential: it opens its own clinic's feed only",
    "book/<int:clinic_id>/<slug:procedure>/": "online booking at any live clinic: the person's own record there only",
    "book/<int:clinic_id>/<slug:procedure>/consent/": "online booking at any live clinic: the person's own record",
    "book/<int:clinic_id>/<slug:procedure>/time/": "online booking at any live clinic: the person's own record",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "a person's email confirmation key (accounts are the platform's)",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "a password reset key (the platform's)",
    "payments/yookassa/<slug:clinic>/": "YooKassa's webhook: the payment it names is looked up in that clinic only and "
    "re-fetched with that clinic's shop (tests/payments)",
}

# API: "METHOD /api/path" -> the calls naming one of B's records (path or body); [] where none can be named.
API: dict[str, list[Call]] = {
    "PATCH /api/appointments/{appointment_id}": [
        Call("PATCH", "/api/appointments/{appointment}", STAFF | {"client"}, {"status": "cancelled"}),
        Call("PATCH", "/api/appointments/{appointment}", STAFF | {"client"}, {"starts_at": "2031-02-03T10:00:00Z"}),
    ],
    "GET /api/appointments/{appointment_id}/session": [Call("GET", "/api/appointments/{appointment}/session", STAFF)],
    "POST /api/appointments/{appointment_id}/session": [
        Call("POST", "/api/appointments/{appointment}/session", RECORDERS),
    ],
    "PATCH /api/appointments/{appointment_id}/session": [
        Call("PATCH", "/api/appointments/{appointment}/session", RECORDERS, {"notes": "x"}),
    ],
    "POST /api/appointments/{appointment_id}/session/complete": [
        Call("POST", "/api/appointments/{appointment}/session/complete", RECORDERS),
    ],
    "GET /api/clients/{client_id}/fhir": [Call("GET", "/api/clients/{client}/fhir", RECORDERS | {"client"})],
    "POST /api/practitioners/{practitioner_id}/absences": [
        Call("POST", "/api/practitioners/{practitioner}/absences", {"admin"},
             {"starts_at": "2031-02-03T09:00:00Z", "ends_at": "2031-02-03T18:00:00Z"}),
    ],
    "POST /api/courses/plan": [
        Call("POST", "/api/courses/plan", {"admin", "reception"}, {"client": "{client}", "start": "2031-02-03",
             "availability": [{"weekday": 0, "start": "09:00", "end": "21:00"}]}),
    ],
    "POST /api/courses": [
        Call("POST", "/api/courses", {"admin", "reception"}, {"client": "{client}", "start": "2031-02-03",
             "availability": [{"weekday": 0, "start": "09:00", "end": "21:00"}]}),
    ],
    "POST /api/adverse-events": [
        Call("POST", "/api/adverse-events", RECORDERS, {"client": "{client}", "procedure": MASSAGE, "code": "other",
             "severity": "mild", "onset_on": "2026-11-29", "description": "x"}),
        Call("POST", "/api/adverse-events", RECORDERS, {"client": "{own_client}", "appointment": "{appointment}",
             "procedure": MASSAGE, "code": "other", "severity": "mild", "onset_on": "2026-11-29",
             "description": "x"}),
    ],
    # Lists filtered by one of B's records answer as for a record that does not exist: an empty page.
    "GET /api/appointments": [
        Call("GET", "/api/appointments?client={client}", STAFF | {"client"}),
        Call("GET", "/api/appointments?practitioner={practitioner}", STAFF | {"client"}),
    ],
    "GET /api/adverse-events": [Call("GET", "/api/adverse-events?client={client}", STAFF)],
    "GET /api/clients/{client_id}": [Call("GET", "/api/clients/{client}", STAFF | {"client"})],
    "PATCH /api/clients/{client_id}": [
        Call("PATCH", "/api/clients/{client}", STAFF, {"notes": "x"}),
    ],
    "POST /api/courses/{course_id}/cancel": [
        Call("POST", "/api/courses/{course}/cancel", {"admin", "reception"}, {"reason": "x"}),
    ],
    "GET /api/courses": [Call("GET", "/api/courses?client={client}", STAFF | {"client"})],
    "GET /api/clients": [Call("GET", "/api/clients?q=Алёна", STAFF)],
    "POST /api/clients": [],
    "GET /api/procedures": [],
    "GET /api/clinics": [],
    "GET /api/procedures/{slug}": [],
    "POST /api/screening": [],
    "GET /api/directory/cities": [],
    "GET /api/directory/salons": [],
    "GET /api/directory/stats": [],
    "GET /api/clinic": [],
    "GET /api/practitioners": [],
    "GET /api/rooms": [],
    "GET /api/calendar": [],
    "POST /api/clinic/closed-days": [],
    "POST /api/dosimetry/dwell": [],
    "POST /api/dosimetry/freeze": [],
    "GET /api/dosimetry/calibration/{technique}": [],
    "POST /api/dosimetry/readings": [],
    "GET /api/dosimetry/readings/{reading_id}": [Call("GET", "/api/dosimetry/readings/{reading}", STAFF)],
    # Online booking names a live clinic on purpose (any clinic of the platform), and only the person's own records.
    "GET /api/clinics/{clinic_id}/slots": [],
    "POST /api/booking/{clinic_id}/intake": [],
    "POST /api/booking/{clinic_id}/consent-codes": [],
    "POST /api/booking/{clinic_id}/consents": [],
    "POST /api/booking/{clinic_id}/plan": [],
    "POST /api/booking/{clinic_id}/courses": [],
}


def _walk(patterns: Any, prefix: str = "") -> Any:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_page_naming_a_record_is_in_the_matrix():
    routes = {r[len("en/"):] if r.startswith("en/") else r for r in _walk(get_resolver().url_patterns)}
    routes = {r[len("ru/"):] if r.startswith("ru/") else r for r in routes}
    named = {r for r in routes if "<" in r and not r.startswith(("admin/", "api/"))}
    assert named - set(PAGES) - set(NOT_CLINIC_RECORDS) == set()


def test_every_api_operation_is_in_the_matrix():
    from cryoclinic.api.api import api

    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                found |= {f"{method} /api{prefix}{path}" for method in operation.methods}
    assert found == set(API)


@dataclass
class World:
    a: Clinic
    b: Clinic
    b_ids: dict[str, int]
    own_client: int


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue())


@pytest.fixture
def world(users, demo, link_client) -> World:
    """Clinic A (the demo's first) with a user of each role; clinic B (the second) with a record of each kind."""
    a = state.current_clinic()
    own = Client.objects.order_by("pk").first()
    link_client(own, users["client"])
    practitioner = Practitioner.objects.order_by("pk").first()
    Practitioner.objects.filter(pk=practitioner.pk).update(user=users["practitioner"])
    b = Clinic.objects.get(slug=SECOND_CLINIC_SLUG)
    with state.activate(b):
        clients = list(Client.objects.order_by("pk")[:2])
        appointment = load_demo_session(b, clients[0])
        record = services.open_session(appointment, by=None)
        load_demo_courses(b, clients[1:2])
        event = events.record_adverse_event(
            clients[0], MASSAGE, code="other", severity="mild", onset_on=timezone.localdate() - dt.timedelta(days=3),
            description="B's reaction", by=None, today=timezone.localdate(),
        )
        events.create_due_tasks(timezone.localdate())
        photo = outcomes.store_photo(outcomes.owner_of(appointment), "before", _png(), by=None)
        dewar = Dewar.objects.create(name="B's vessel", capacity_l=10, boil_off_l_per_day=0.1, boil_off_source="x")
        feeds.issue_feed(client=clients[0])
        reading = calibrate.record(
            technique="cotton_swab", kind="frost_s", site="forearm", instrument="eye", value=1.0, coolant_s=None
        )
        deletion = DeletionRequest.objects.create(client=clients[0])
        ids = {
            "client": clients[0].pk, "appointment": appointment.pk, "photo": photo.pk, "event": event.pk,
            "task": FollowUpTask.objects.get().pk, "dewar": dewar.pk, "practitioner": appointment.practitioner_id,
            "course": Course.objects.get().pk, "record": record.pk, "reading": reading.pk,
            "deletion": deletion.pk,
        }
    return World(a=a, b=b, b_ids=ids, own_client=own.pk)


def _fill(value: Any, ids: dict[str, int], own_client: int) -> Any:
    if isinstance(value, str):
        for key, number in {**ids, "own_client": own_client}.items():
            value = value.replace("{" + key + "}", str(number))
        return int(value) if value.isdigit() else value
    if isinstance(value, dict):
        return {k: _fill(v, ids, own_client) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids, own_client) for v in value]
    return value


def _b_digest(b: Clinic) -> str:
    """Every row of B's, and of the platform's shared tables: what a refused call must leave as it was."""
    rows = []
    with state.platform():
        for model in clinic_owned_models():
            if model.__name__ in ("AuditEvent",):
                continue
            rows.append(list(model.objects.filter(clinic=b).order_by("pk").values()))
        for label in ("directory.Salon", "directory.Review", "directory.BookingRequest"):
            rows.append(list(apps.get_model(label).objects.order_by("pk").values()))
    return hashlib.sha256(json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()


def _send(http: Any, call: Call, ids: dict[str, int], own_client: int, headers: dict[str, str]) -> Any:
    url = _fill(call.url, ids, own_client)
    method = call.method.lower()
    if url.startswith("/api/"):
        body = json.dumps(_fill(call.data, ids, own_client)) if call.data is not None else None
        kwargs: dict[str, Any] = {} if method == "get" else {"data": body, "content_type": "application/json"}
        return getattr(http, method)(url, headers=headers, **kwargs)
    return getattr(http, method)(url, _fill(call.data, ids, own_client) or {}, headers=headers)


def _normalized(body: bytes) -> bytes:
    """The body with numbers and the per-response CSRF token taken out: the ids asked for differ, nothing else
    may."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return re.sub(rb"\d+", b"N", body)


def _nowhere(ids: dict[str, int]) -> dict[str, int]:
    return {key: NOWHERE for key in ids}


def _check(
    world: World, role: str, who: Any, calls: list[tuple[str, Call]], send: Callable[..., Any]
) -> tuple[int, list[str]]:
    problems, checked = [], 0
    for name, call in calls:
        before = _b_digest(world.b)
        audit_before = AuditEvent.objects.filter(actor=who).count()
        on_b = send(call, world.b_ids)
        on_nothing = send(call, _nowhere(world.b_ids))
        checked += 1
        label = f"{role} {call.method} {call.url} ({name})"
        if on_b.status_code != on_nothing.status_code:
            problems.append(f"{label}: B's record {on_b.status_code}, no record {on_nothing.status_code}")
        elif on_b.status_code >= 500 or 200 <= on_b.status_code < 300 and "?" not in call.url:
            problems.append(f"{label}: answered {on_b.status_code} on B's record")
        elif role in call.allowed and on_b.status_code not in (404,) and "?" not in call.url:
            problems.append(f"{label}: {on_b.status_code}, not 404")
        if _normalized(on_b.content) != _normalized(on_nothing.content):
            problems.append(f"{label}: the bodies differ, so B's record shows through")
        if "?" in call.url and on_b.status_code == 200 and on_b.json()["count"] != 0:
            problems.append(f"{label}: lists B's rows")
        if _b_digest(world.b) != before:
            problems.append(f"{label}: B's data changed")
        if "?" not in call.url and AuditEvent.objects.filter(actor=who).count() <= audit_before:
            problems.append(f"{label}: the attempt is not in A's audit log")
    return checked, problems


@pytest.mark.parametrize("role", ROLES)
def test_pages_as_every_role_of_clinic_a_on_clinic_bs_records(client, users, world, role):
    client.force_login(users[role])
    calls = [(route, call) for route, entries in PAGES.items() for call in entries]

    def send(call: Call, ids: dict[str, int]) -> Any:
        return _send(client, call, ids, world.own_client, {})

    checked, problems = _check(world, role, users[role], calls, send)
    assert checked == sum(len(v) for v in PAGES.values())
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("by", ["token", "session"])
def test_api_as_every_role_of_clinic_a_on_clinic_bs_records(client, users, world, role, by):
    headers = {}
    if by == "token":
        headers = {"Authorization": f"Bearer {tokens.issue(users[role], 'cross-clinic')[1]}"}
    else:
        client.force_login(users[role])
    calls = [(operation, call) for operation, entries in API.items() for call in entries]

    def send(call: Call, ids: dict[str, int]) -> Any:
        return _send(client, call, ids, world.own_client, headers)

    checked, problems = _check(world, role, users[role], calls, send)
    assert checked == sum(len(v) for v in API.values())
    assert problems == []


def test_a_token_of_clinic_a_never_acts_in_clinic_b(client, users, world):
    """The same person may work in both clinics; a token issued in A still acts only in A."""
    from cryoclinic.clinics.models import Membership

    with state.activate(world.b):
        Membership.objects.create(user=users["admin"], role="admin")
    raw = tokens.issue(users["admin"], "A only")[1]
    headers = {"Authorization": f"Bearer {raw}"}
    listed = client.get(f"/api/appointments?client={world.b_ids['client']}", headers=headers).json()
    assert listed["count"] == 0
    assert client.get(f"/api/clients/{world.b_ids['client']}/fhir", headers=headers).status_code == 404
    assert client.get("/api/clinic", headers=headers).json()["name"] == world.a.name
