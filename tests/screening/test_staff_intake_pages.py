"""The staff intake form, the client's screening record, prerequisites and consent on the pages."""

from __future__ import annotations

import pytest

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client, ConsentRecord, IntakeRecord, PrerequisiteRecord
from cryoclinic.knowledge.loader import knowledge_base

pytestmark = pytest.mark.django_db

MASSAGE = knowledge_base().procedures["facial-cryomassage"]
CRYO = knowledge_base().procedures["cryodestruction"]


@pytest.fixture
def record() -> Client:
    return Client.objects.create(full_name="Елена Льдова", phone="+79123450000")


def _answers(procedure, **yes) -> dict[str, str]:
    return {c.code: ("yes" if yes.get(c.code) else "no") for c in procedure.contraindications}


def test_practitioner_records_an_intake_and_sees_the_decision_with_its_source(client, users, record):
    client.force_login(users["practitioner"])
    url = f"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/intake/"
    form = client.get(url)
    assert MASSAGE.contraindication("epilepsy").question.en in form.content.decode()
    response = client.post(url, _answers(MASSAGE, rosacea=True) | {"prep_no_peeling": "on"}, follow=True)
    page = response.content.decode()
    assert 'data-decision="caution"' in page
    assert "electrocoagulation" in page.lower() or "elos" in page.lower()  # the rosacea note and referral
    intake = IntakeRecord.objects.get(client=record)
    assert intake.decision == "caution" and intake.recorded_by == users["practitioner"]
    assert AuditEvent.objects.filter(subject_type="clients.intakerecord", subject_id=str(intake.pk)).exists()


def test_an_intake_with_an_unanswered_question_is_refused_and_nothing_is_stored(client, users, record):
    client.force_login(users["practitioner"])
    answers = _answers(MASSAGE)
    answers.pop("epilepsy")
    response = client.post(f"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/intake/", answers)
    assert response.status_code == 422
    assert "Please answer this question." in response.content.decode()
    assert not IntakeRecord.objects.exists()


def test_a_second_intake_is_a_new_record_and_the_first_is_kept(client, users, record):
    client.force_login(users["admin"])
    url = f"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/intake/"
    client.post(url, _answers(MASSAGE, herpes_exacerbation=True))
    client.post(url, _answers(MASSAGE))
    assert list(IntakeRecord.objects.filter(client=record).values_list("decision", flat=True)) == [
        "eligible",
        "postpone",
    ]


def test_cryodestruction_page_lists_missing_prerequisites_until_recorded(client, users, record):
    client.force_login(users["practitioner"])
    client.post(f"/en/staff/clients/{record.pk}/procedures/cryodestruction/intake/", _answers(CRYO))
    page_url = f"/en/staff/clients/{record.pk}/procedures/cryodestruction/"
    page = client.get(page_url).content.decode()
    assert 'data-allowed="false"' in page and "dermatologist_consultation" in page
    response = client.post(
        page_url,
        {
            "action": "prerequisite",
            "prerequisite-code": "dermatologist_consultation",
            "prerequisite-done_on": "2026-11-20",
            "prerequisite-note": "заключение № 15",
        },
    )
    assert response.status_code == 302
    assert PrerequisiteRecord.objects.get(client=record).code == "dermatologist_consultation"


def test_reception_cannot_record_prerequisites(client, users, record):
    client.force_login(users["reception"])
    response = client.post(
        f"/en/staff/clients/{record.pk}/procedures/cryodestruction/",
        {
            "action": "prerequisite",
            "prerequisite-code": "dermatologist_consultation",
            "prerequisite-done_on": "2026-11-20",
        },
    )
    assert response.status_code == 403
    assert not PrerequisiteRecord.objects.exists()


def test_a_prerequisite_in_the_future_is_refused(client, users, record):
    client.force_login(users["practitioner"])
    response = client.post(
        f"/en/staff/clients/{record.pk}/procedures/cryodestruction/",
        {
            "action": "prerequisite",
            "prerequisite-code": "dermatologist_consultation",
            "prerequisite-done_on": "2999-01-01",
        },
    )
    assert response.status_code == 422
    assert "cannot be done in the future" in response.content.decode()
    assert not PrerequisiteRecord.objects.exists()


def test_reception_records_signed_consent_and_it_requires_the_confirmation(client, users, record):
    client.force_login(users["reception"])
    url = f"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/"
    refused = client.post(url, {"action": "consent", "consent-language": "ru", "consent-signed_on": "2026-11-20"})
    assert refused.status_code == 422 and not ConsentRecord.objects.exists()
    client.post(
        url, {"action": "consent", "consent-language": "ru", "consent-signed_on": "2026-11-20", "consent-confirm": "on"}
    )
    consent = ConsentRecord.objects.get(client=record)
    assert (consent.language, consent.knowledge_version, consent.recorded_by) == (
        "ru",
        MASSAGE.version,
        users["reception"],
    )
    assert "Signed on 20.11.2026" in client.get(url).content.decode()


def test_client_record_page_shows_each_procedures_latest_decision(client, users, record):
    client.force_login(users["practitioner"])
    client.post(
        f"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/intake/", _answers(MASSAGE, epilepsy=True)
    )
    page = client.get(f"/en/staff/clients/{record.pk}/").content.decode()
    row = page.split('data-slug="facial-cryomassage"')[1].split("</tr>")[0]
    assert "contraindicated" in row
    assert "no intake" in page.split('data-slug="cryodestruction"')[1].split("</tr>")[0]
