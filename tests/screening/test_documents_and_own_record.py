"""Consent and aftercare PDFs in both languages, and the client's own record."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client
from cryoclinic.knowledge.loader import knowledge_base

pytestmark = pytest.mark.django_db

CRYO = knowledge_base().procedures["cryodestruction"]


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def record(users, link_client) -> Client:
    record = Client.objects.create(full_name="Наталья Вьюгина", phone="+79123450001")
    link_client(record, users["client"])
    return record


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["ru", "en"])
def test_consent_pdf_holds_the_client_procedure_risks_and_aftercare_in_its_language(client, users, record, language):
    client.force_login(users["practitioner"])
    text = _text(client.get(f"/en/staff/clients/{record.pk}/procedures/cryodestruction/consent-{language}.pdf"))
    assert "Наталья Вьюгина" in text
    assert _flat(CRYO.name.get(language)) in text
    assert _flat(CRYO.side_effects[0].text.get(language))[:40] in text
    assert _flat(CRYO.aftercare[0].text.get(language))[:40] in text
    title = "Информированное добровольное согласие" if language == "ru" else "Informed voluntary consent"
    assert title in text
    assert "323" in text  # the law that requires it


@pytest.mark.parametrize("language", ["ru", "en"])
def test_aftercare_pdf_lists_the_knowledge_base_aftercare(client, users, record, language):
    client.force_login(users["reception"])
    text = _text(client.get(f"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/aftercare-{language}.pdf"))
    massage = knowledge_base().procedures["facial-cryomassage"]
    for item in massage.aftercare:
        assert _flat(item.text.get(language))[:30] in text


def test_client_downloads_their_own_document_and_the_read_is_audited(client, users, record):
    client.force_login(users["client"])
    text = _text(client.get("/ru/account/procedures/cryodestruction/consent-ru.pdf"))
    assert "Наталья Вьюгина" in text
    assert AuditEvent.objects.filter(actor=users["client"], detail__startswith="own document").exists()


def test_unknown_document_or_language_is_a_404(client, users, record):
    client.force_login(users["practitioner"])
    assert client.get(f"/en/staff/clients/{record.pk}/procedures/cryodestruction/receipt-ru.pdf").status_code == 404
    assert client.get(f"/en/staff/clients/{record.pk}/procedures/cryodestruction/consent-de.pdf").status_code == 404
    assert client.get(f"/en/staff/clients/{record.pk}/procedures/no-such/consent-ru.pdf").status_code == 404


def test_client_edits_own_phone_and_it_is_stored_in_e164(client, users, record):
    client.force_login(users["client"])
    response = client.post(
        "/en/account/edit/",
        {
            "full_name": "Наталья Вьюгина",
            "date_of_birth": "1990-05-01",
            "phone": "8 (912) 345-67-89",
            "email": "n@example.org",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.phone, record.email, str(record.date_of_birth)) == ("+79123456789", "n@example.org", "1990-05-01")
    assert AuditEvent.objects.filter(actor=users["client"], action="change").exists()


def test_a_bad_phone_is_refused_and_nothing_changes(client, users, record):
    client.force_login(users["client"])
    response = client.post("/en/account/edit/", {"full_name": "X", "phone": "12345", "email": ""})
    assert response.status_code == 422
    assert (
        "is not a valid phone number" in response.content.decode() or "Not a phone number" in response.content.decode()
    )
    record.refresh_from_db()
    assert (record.full_name, record.phone) == ("Наталья Вьюгина", "+79123450001")


def test_staff_fields_are_not_editable_by_the_client(client, users, record):
    client.force_login(users["client"])
    client.post(
        "/en/account/edit/",
        {"full_name": "Наталья Вьюгина", "phone": "+79123450001", "notes": "hacked", "skin_phototype": "6"},
    )
    record.refresh_from_db()
    assert (record.notes, record.skin_phototype) == ("", None)
