"""My data: a person sees and downloads everything held about them across clinics, asks for deletion, and each
clinic's admin erases the personal data while the medical record stays (privacy.py)."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User

from cryoclinic.accounts.models import AuditEvent, PhoneNumber
from cryoclinic.clients.models import Client, DeletionRequest, IntakeRecord
from cryoclinic.clinics import state
from cryoclinic.clinics.state import current_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user) -> User:
    user = make_user(None, username="anna")
    EmailAddress.objects.create(user=user, email="anna@example.org", verified=True, primary=True)
    return user


@pytest.fixture
def records(person, other_clinic, link_client) -> tuple[Client, Client]:
    here = Client.objects.create(full_name="Анна Смирнова", phone="+79123456789", email="anna@example.org")
    link_client(here, person)
    with state.activate(other_clinic):
        there = Client.objects.create(full_name="Анна Смирнова", phone="+79123456789", email="anna@example.org")
        link_client(there, person)
    return here, there


def test_my_data_shows_the_account_and_every_clinics_record(client, person, records, other_clinic):
    client.force_login(person)
    page = client.get("/en/account/data/").content.decode()
    assert "anna@example.org" in page
    assert current_clinic().name in page and other_clinic.name in page
    assert page.count("Анна Смирнова") == 2
    assert AuditEvent.objects.filter(action="view", subject_id=str(records[0].pk)).exists()
    with state.activate(other_clinic):
        assert AuditEvent.objects.filter(action="view", subject_id=str(records[1].pk)).exists()


def test_the_download_holds_the_account_and_each_clinics_fhir_bundle(client, person, records, other_clinic):
    client.force_login(person)
    response = client.get("/en/account/data.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    document = json.loads(response.content)
    assert document["account"]["emails"] == [{"email": "anna@example.org", "verified": True}]
    assert {c["clinic"] for c in document["clinics"]} == {current_clinic().name, other_clinic.name}
    for held in document["clinics"]:
        assert held["fhir_bundle"]["resourceType"] == "Bundle"
        patients = [e["resource"] for e in held["fhir_bundle"]["entry"] if e["resource"]["resourceType"] == "Patient"]
        assert len(patients) == 1
    assert AuditEvent.objects.filter(action="export", subject_id=str(records[0].pk)).exists()


def test_a_new_account_with_no_clinic_sees_its_own_data_and_nothing_to_erase(client, person):
    client.force_login(person)
    assert "No clinic holds a record of you yet" in client.get("/en/account/data/").content.decode()
    response = client.post("/en/account/data/delete/", follow=True)
    assert "nothing for a clinic to erase" in response.content.decode()
    assert User.objects.get(pk=person.pk).is_active


def test_asking_for_deletion_files_one_request_with_each_clinic_once(client, person, records, other_clinic):
    client.force_login(person)
    client.post("/en/account/data/delete/")
    client.post("/en/account/data/delete/")
    assert DeletionRequest.objects.filter(status="pending").count() == 1
    with state.activate(other_clinic):
        assert DeletionRequest.objects.filter(status="pending").count() == 1
    assert 'data-testid="deletion-pending"' in client.get("/en/account/data/").content.decode()


def test_the_admin_erases_personal_data_and_keeps_the_medical_record(client, person, records, users):
    here, _there = records
    IntakeRecord.objects.create(client=here, procedure="facial-cryomassage", answers={"herpes": False},
                                decision=IntakeRecord._meta.get_field("decision").choices[0][0], knowledge_version="1")
    client.force_login(person)
    client.post("/en/account/data/delete/")
    row = DeletionRequest.objects.get()
    client.force_login(users["admin"])
    assert "Анна Смирнова" in client.get("/en/staff/deletion-requests/").content.decode()
    client.post("/en/staff/deletion-requests/", {"request": row.pk})

    here.refresh_from_db()
    assert (here.phone, here.email, here.user_id) == ("", "", None)
    assert here.full_name == "Анна Смирнова" and here.intakes.count() == 1
    row.refresh_from_db()
    assert row.status == "done" and row.carried_out_by == users["admin"]
    assert AuditEvent.objects.filter(action="erased", subject_id=str(here.pk)).exists()
    assert User.objects.get(pk=person.pk).is_active, "another clinic still holds the person: the account stays"


def test_when_the_last_clinic_erases_the_account_is_anonymised(client, person, records, users, other_clinic):
    PhoneNumber.objects.create(user=person, phone="+79123456789")
    client.force_login(person)
    client.post("/en/account/data/delete/")
    from cryoclinic import privacy

    with state.activate(other_clinic):
        privacy.carry_out(DeletionRequest.objects.get(), by=users["admin"])
    privacy.carry_out(DeletionRequest.objects.get(), by=users["admin"])
    person.refresh_from_db()
    assert not person.is_active and person.username == f"erased-{person.pk}" and not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not PhoneNumber.objects.filter(user=person).exists()


def test_a_request_carried_out_twice_or_unknown_changes_nothing(client, person, records, users):
    client.force_login(person)
    client.post("/en/account/data/delete/")
    row = DeletionRequest.objects.get()
    client.force_login(users["admin"])
    client.post("/en/staff/deletion-requests/", {"request": row.pk})
    again = client.post("/en/staff/deletion-requests/", {"request": row.pk}, follow=True)
    assert "carried out already" in again.content.decode()
    assert client.post("/en/staff/deletion-requests/", {"request": "nope"}).status_code == 404


def test_another_clinics_request_is_not_found_for_this_clinics_admin(client, person, records, users, other_clinic):
    client.force_login(person)
    client.post("/en/account/data/delete/")
    with state.activate(other_clinic):
        theirs = DeletionRequest.objects.get()
    client.force_login(users["admin"])
    assert client.post("/en/staff/deletion-requests/", {"request": theirs.pk}).status_code == 404
    with state.activate(other_clinic):
        assert DeletionRequest.objects.get().status == "pending"


def test_only_the_clinic_admin_sees_deletion_requests(client, users):
    for role in ("reception", "practitioner", "client"):
        client.force_login(users[role])
        assert client.get("/en/staff/deletion-requests/").status_code == 403


def test_a_new_account_lands_on_my_data_after_signing_in(client, person):
    client.force_login(person)
    assert client.get("/en/accounts/after-login/")["Location"].endswith("/en/account/data/")
    assert client.get("/en/account/data/").status_code == 200
