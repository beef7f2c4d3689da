"""The Bundle holds the whole record as valid FHIR R4 resources whose references resolve inside it."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from cryoclinic.fhir.codes import full_url
from cryoclinic.fhir.export import build_bundle, bundle_json
from cryoclinic.knowledge import services as knowledge

pytestmark = pytest.mark.django_db


def _resources(bundle: Bundle, kind: str) -> list[dict]:
    data = json.loads(bundle_json(bundle))
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def _references(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def test_the_bundle_is_a_collection_of_every_part_of_the_record(world):
    bundle = build_bundle(world.client, "en")
    client = world.client
    counts = {
        "Patient": 1, "QuestionnaireResponse": client.intakes.count(), "Consent": client.consents.count(),
        "Appointment": client.appointments.count(), "CarePlan": client.courses.count(), "Procedure": 1,
        "AdverseEvent": 1,
    }
    assert bundle.type == "collection"
    assert {kind: len(_resources(bundle, kind)) for kind in counts} == counts
    # the demo intake and the session's re-screen; the ten course sessions and today's
    assert counts["QuestionnaireResponse"] == 2 and counts["Appointment"] == 11


def test_every_resource_is_valid_as_its_fhir_r4_type(world):
    data = json.loads(bundle_json(build_bundle(world.client, "ru")))
    for entry in data["entry"]:
        resource = entry["resource"]
        model = get_fhir_model_class(resource["resourceType"])
        assert model.__module__.startswith("fhir.resources.R4B.")  # R4 (4.x), not the package's default R5
        assert model.model_validate(resource).id == resource["id"] == entry["fullUrl"].removeprefix("urn:uuid:")


def test_every_reference_resolves_inside_the_bundle(world):
    data = json.loads(bundle_json(build_bundle(world.client, "en")))
    full_urls = {entry["fullUrl"] for entry in data["entry"]}
    references = _references(data["entry"])
    assert len(full_urls) == len(data["entry"]) and len(references) > 30
    assert set(references) <= full_urls


def test_the_json_parses_back_into_the_same_bundle(world):
    bundle = build_bundle(world.client, "ru")
    text = bundle_json(bundle)
    assert Bundle.model_validate_json(text) == bundle
    assert bundle_json(Bundle.model_validate_json(text)) == text


def test_full_urls_are_stable_and_a_correction_stays_one_procedure(world):
    first, second = (json.loads(bundle_json(build_bundle(world.client, "en"))) for _ in range(2))
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert first["id"] != second["id"]  # each download is a new Bundle of the same resources
    (procedure,) = [e for e in first["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert procedure["fullUrl"] == full_url(world.first)
    assert procedure["resource"]["meta"]["versionId"] == "2"
    assert {"text": "Кожа спокойная, покраснение прошло за час."} in procedure["resource"]["note"]


def test_the_patient_has_names_phone_email_and_birth_date(world):
    (patient,) = _resources(build_bundle(world.client, "en"), "Patient")
    assert patient["name"] == [{"text": "Мария Зимина"}]
    assert {"system": "phone", "value": world.client.phone} in patient["telecom"]
    assert world.client.phone.startswith("+7")
    assert {"system": "email", "value": world.client.email} in patient["telecom"]
    assert patient["birthDate"] == world.client.date_of_birth.isoformat()


def test_the_questionnaire_response_answers_each_contraindication_under_its_kb_version(world):
    intake = world.client.intakes.order_by("id").first()
    responses = _resources(build_bundle(world.client, "en"), "QuestionnaireResponse")
    (response,) = [r for r in responses if r["identifier"]["value"] == str(intake.pk)]
    assert response["questionnaire"].endswith(f"/Questionnaire/intake-facial-cryomassage|{intake.knowledge_version}")
    answers = {item["linkId"]: item["answer"][0]["valueBoolean"] for item in response["item"]}
    assert answers == intake.answers
    epilepsy = knowledge.get_procedure("facial-cryomassage").contraindication("epilepsy")
    assert {"linkId": "epilepsy", "text": epilepsy.question.en, "answer": [{"valueBoolean": False}]} in response["item"]


def test_the_procedure_has_technique_zones_times_and_performer(world):
    bundle = build_bundle(world.client, "en")
    (procedure,) = _resources(bundle, "Procedure")
    (doctor,) = [p for p in _resources(bundle, "Practitioner") if p["name"] == [{"text": "Анна Морозова"}]]
    technique = next(e for e in procedure["extension"] if e["url"].endswith("/technique"))
    assert technique["valueCodeableConcept"]["coding"][0]["code"] == world.corrected.technique
    assert [site["text"] for site in procedure["bodySite"]] == ["Forehead", "Cheekbone (zygoma)"]
    assert procedure["performedPeriod"]["start"].startswith(world.corrected.started_at.strftime("%Y-%m-%dT%H:%M"))
    assert procedure["performer"][0]["actor"]["reference"] == f"urn:uuid:{doctor['id']}"
    assert procedure["status"] == "completed"


def test_the_adverse_event_has_its_kb_code_severity_onset_and_resolution(world):
    bundle = build_bundle(world.client, "en")
    (event,) = _resources(bundle, "AdverseEvent")
    (procedure,) = _resources(bundle, "Procedure")
    assert event["event"]["coding"][0]["code"] == "mild_redness"
    assert event["event"]["coding"][0]["display"] == "Mild redness"
    assert event["severity"]["coding"][0]["code"] == "mild"
    assert event["date"] == world.event.onset_on.isoformat()
    assert event["outcome"]["coding"][0]["code"] == "resolved"
    assert event["extension"][0]["valueDate"] == world.event.resolved_on.isoformat()
    assert event["suspectEntity"][0]["instance"]["reference"] == f"urn:uuid:{procedure['id']}"


def test_the_care_plan_lists_the_course_sessions_with_its_status(world):
    bundle = build_bundle(world.client, "en")
    (plan,) = _resources(bundle, "CarePlan")
    course = world.client.courses.get()
    appointments = {a["id"]: a for a in _resources(bundle, "Appointment")}
    sessions = [appointments[a["reference"]["reference"].removeprefix("urn:uuid:")] for a in plan["activity"]]
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert [s["identifier"][0]["value"] for s in sessions] == [
        str(pk) for pk in course.appointments.order_by("session_number").values_list("pk", flat=True)
    ]
    assert len(sessions) == course.rules["sessions"] and {s["status"] for s in sessions} == {"booked"}


def test_the_consent_names_the_procedure_the_date_and_the_law(world):
    (consent,) = _resources(build_bundle(world.client, "en"), "Consent")
    record = world.client.consents.get()
    assert consent["dateTime"] == record.signed_on.isoformat()
    assert consent["provision"]["code"][0]["coding"][0]["code"] == "facial-cryomassage"
    assert consent["scope"]["coding"][0]["code"] == "treatment" and consent["policy"]


def test_russian_and_english_exports_keep_their_text_as_utf8(world):
    russian = bundle_json(build_bundle(world.client, "ru")).encode("utf-8")
    english = bundle_json(build_bundle(world.client, "en")).encode("utf-8")
    name_ru = knowledge.get_procedure("facial-cryomassage").name.ru
    assert "Мария Зимина".encode() in russian and "Мария Зимина".encode() in english
    assert name_ru.encode() in russian and b"Facial cryomassage" in english
    assert b"\\u04" not in russian  # Cyrillic as UTF-8, not escaped
    assert "— сеанс 1".encode() in russian and "— session 1".encode() in english
    assert json.loads(russian)["language"] == "ru" and json.loads(english)["language"] == "en"


def test_an_unresolved_other_event_is_ongoing_with_its_description(world):
    from django.utils import timezone

    from cryoclinic.treatments import events

    today = timezone.localdate()
    events.record_adverse_event(
        world.client, "facial-cryomassage", code="other", description="Головная боль после сеанса",
        severity="moderate", onset_on=today, by=world.doctor.user, today=today,
    )
    (event,) = [e for e in _resources(build_bundle(world.client, "ru"), "AdverseEvent") if "coding" not in e["event"]]
    assert event["event"] == {"text": "Головная боль после сеанса"}
    assert event["outcome"]["coding"][0]["code"] == "ongoing" and "extension" not in event
    assert event["severity"]["coding"][0]["code"] == "moderate" and "suspectEntity" not in event


def test_a_cancelled_course_is_a_revoked_care_plan(world):
    world.client.courses.update(status="cancelled")
    (plan,) = _resources(build_bundle(world.client, "en"), "CarePlan")
    assert plan["status"] == "revoked"


def test_a_new_client_is_a_bundle_of_one_patient(db):
    from cryoclinic.clients.models import Client

    client = Client.objects.create(full_name="John Frost", phone="+79160000000")
    data = json.loads(bundle_json(build_bundle(client, "en")))
    assert [e["resource"]["resourceType"] for e in data["entry"]] == ["Patient"]
    assert "birthDate" not in data["entry"][0]["resource"]
