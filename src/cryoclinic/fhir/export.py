"""A client's whole record as one FHIR R4 `collection` Bundle.

`collection`, not `document`: a document is one attested composition with a Composition first and an author
who signs for it; this is a copy of the record for another system or for the client, with no such author.
Each resource is built with `fhir.resources.R4B` (FHIR 4.3.0; the package's default import path is R5, and
it ships no 4.0.1 models). R4B changed none of the resources used here, so the JSON is R4 (4.0.1) as well.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.resource import Resource

from cryoclinic.clients.models import Client
from cryoclinic.scheduling.models import Practitioner
from cryoclinic.treatments.models import SessionRecord

from . import mapping
from .codes import full_url, reference

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"
Row = TypeVar("Row", bound=models.Model)


def build_bundle(client: Client, language: str) -> Bundle:
    """The record in `language` (ru or en): texts of the knowledge base and labels in that language."""
    with translation.override(language):
        entries = [BundleEntry(fullUrl=full_url(row), resource=res) for row, res in _resources(client, language)]
        return Bundle(
            id=str(uuid.uuid4()), identifier=Identifier(system="urn:ietf:rfc:3986", value=f"urn:uuid:{uuid.uuid4()}"),
            type="collection", timestamp=timezone.now(), language=language, entry=entries,
        )


def bundle_json(bundle: Bundle) -> str:
    """FHIR JSON: no empty elements, UTF-8 text as is (not \\u escapes)."""
    return bundle.model_dump_json(exclude_none=True, by_alias=True)


def filename(client: Client) -> str:
    return f"client-{client.pk}-record-{timezone.localdate():%Y-%m-%d}.fhir.json"


def _by_pk(rows: Iterable[Row]) -> list[Row]:
    return sorted({row.pk: row for row in rows}.values(), key=lambda row: row.pk)


def _resources(client: Client, language: str) -> list[tuple[models.Model, Resource]]:
    links = mapping.Links(language=language, patient=reference(client, client.full_name))
    intakes = list(client.intakes.select_related("recorded_by").order_by("recorded_at", "id"))
    consents = list(client.consents.order_by("signed_on", "id"))
    appointments = list(
        client.appointments.select_related("practitioner", "room__clinic").order_by("starts_at", "id")
    )
    courses = list(client.courses.order_by("created_at", "id"))
    events = list(client.adverse_events.order_by("onset_on", "id"))
    records = SessionRecord.objects.filter(client=client).select_related(
        "appointment__practitioner", "appointment__room"
    ).order_by("appointment_id", "version")
    first: dict[int, SessionRecord] = {}
    current: dict[int, SessionRecord] = {}
    for record in records:
        first.setdefault(record.appointment_id, record)
        if record.status == SessionRecord.Status.COMPLETED:
            current[record.appointment_id] = record  # the latest completed version: a correction replaces it

    user_ids = {i.recorded_by_id for i in intakes} | {c.created_by_id for c in courses}
    user_ids |= {r.completed_by_id for r in current.values()} | {e.reported_by_id for e in events}
    staff = Practitioner.objects.filter(user_id__in=[u for u in user_ids if u is not None])
    links.practitioner_of_user = {p.user_id: p for p in staff}
    links.careplan_of_course = {c.pk: reference(c) for c in courses}
    links.procedure_of_appointment = {pk: reference(first[pk]) for pk in current}

    practitioners = _by_pk([a.practitioner for a in appointments] + list(links.practitioner_of_user.values()))
    rooms = _by_pk([a.room for a in appointments])
    clinics = _by_pk([room.clinic for room in rooms])
    out: list[tuple[models.Model, Resource]] = [(client, mapping.patient(client))]
    out += [(p, mapping.practitioner(p)) for p in practitioners]
    out += [(c, mapping.organization(c)) for c in clinics]
    out += [(r, mapping.location(r)) for r in rooms]
    out += [(i, mapping.questionnaire_response(i, links)) for i in intakes]
    out += [(c, mapping.consent(c, links)) for c in consents]
    for course in courses:
        sessions = sorted((a for a in appointments if a.course_id == course.pk), key=lambda a: (a.session_number or 0))
        out.append((course, mapping.care_plan(course, sessions, links)))
    out += [(a, mapping.appointment(a, links)) for a in appointments]
    out += [(first[pk], mapping.procedure(record, first[pk], links)) for pk, record in current.items()]
    out += [(e, mapping.adverse_event(e, links)) for e in events]
    return out
