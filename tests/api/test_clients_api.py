"""`/api/clients`: staff list, add, read and change the clinic's client records; one rule with the pages; another
clinic's record does not exist; every read and write is audit-logged."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from cryoclinic.accounts import tokens
from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients import services
from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Membership

pytestmark = pytest.mark.django_db


def _patch(client, url: str, body: dict, **headers: str):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def _post(client, body: dict, **headers: str):
    return client.post("/api/clients", json.dumps(body), content_type="application/json", headers=headers)


def _fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


@pytest.fixture
def theirs(other_clinic) -> Client:
    with state.activate(other_clinic):
        return Client.objects.create(full_name="Olga Belova", phone="+79120000002", notes="theirs")


def test_reception_lists_only_its_clinics_clients(client, users, theirs):
    Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    client.force_login(users["reception"])
    page = client.get("/api/clients").json()
    names = [row["full_name"] for row in page["items"]]
    assert "Anna Morozova" in names and "Olga Belova" not in names
    assert page["count"] == Client.objects.count() == len(names)


def test_q_finds_a_client_by_name_email_or_a_phone_in_any_notation(client, users):
    Client.objects.create(full_name="Anna Morozova", phone="+79123456789", email="anna@example.org")
    Client.objects.create(full_name="Boris Lebedev", phone="+79120000003", email="boris@example.org")
    client.force_login(users["reception"])

    def names(q: str) -> list[str]:
        return [row["full_name"] for row in client.get("/api/clients", {"q": q}).json()["items"]]

    assert names("Moroz") == names("anna@") == names("8 (912) 345-67-89") == names("345-67") == ["Anna Morozova"]
    assert names("nobody") == []


def test_listing_and_reading_a_client_are_audit_logged(client, users):
    record = Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    client.force_login(users["practitioner"])
    client.get("/api/clients", {"q": "Anna"})
    client.get(f"/api/clients/{record.pk}")
    events = AuditEvent.objects.filter(actor=users["practitioner"], subject_type="clients.client")
    assert {(e.action, e.subject_id) for e in events} == {("list", ""), ("view", str(record.pk))}


def test_reception_adds_a_client_with_the_phone_stored_in_e164(client, users, clinic):
    response = _post(client, {"full_name": " Anna Morozova ", "phone": "8 (912) 345-67-89", "email": "a@example.org",
                              "date_of_birth": "1990-05-01", "skin_phototype": 2, "notes": "sensitive skin"},
                     Authorization=f"Bearer {tokens.issue(users['reception'], 'crm')[1]}")
    assert response.status_code == 201, response.content
    record = Client.objects.get(pk=response.json()["id"])
    assert (record.full_name, record.phone, record.skin_phototype, record.clinic) == (
        "Anna Morozova", "+79123456789", 2, clinic)
    assert response.json()["phone"] == "+79123456789"
    assert AuditEvent.objects.filter(action="create", subject_id=str(record.pk), actor=users["reception"]).exists()


def test_bad_input_is_a_422_naming_every_field_and_nothing_is_written(client, users):
    client.force_login(users["admin"])
    before = Client.objects.count()
    response = _post(client, {"full_name": "Anna", "phone": "12345", "email": "not-an-email",
                              "date_of_birth": "1850-01-01"})
    assert response.status_code == 422
    assert _fields(response) == {"phone", "email", "date_of_birth"}
    assert Client.objects.count() == before


@pytest.mark.parametrize(("body", "field"), [({"full_name": "   ", "phone": "+79123456789"}, "full_name"),
                                             ({"full_name": "Anna"}, "phone"),
                                             ({"full_name": "Anna", "phone": "+79123456789", "user": 1}, "user"),
                                             ({"full_name": "Anna", "phone": "+79123456789", "skin_phototype": 7},
                                              "skin_phototype")])
def test_a_missing_or_unknown_field_is_a_422_naming_it(client, users, body, field):
    client.force_login(users["reception"])
    response = _post(client, body)
    assert response.status_code == 422 and field in _fields(response)


def test_a_date_of_birth_in_the_future_is_refused(client, users):
    client.force_login(users["reception"])
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = _post(client, {"full_name": "Anna", "phone": "+79123456789", "date_of_birth": tomorrow})
    assert response.status_code == 422 and _fields(response) == {"date_of_birth"}


def test_a_practitioner_changes_only_the_fields_sent(client, users):
    record = Client.objects.create(full_name="Anna Morozova", phone="+79120000001", email="a@example.org")
    client.force_login(users["practitioner"])
    response = _patch(client, f"/api/clients/{record.pk}", {"skin_phototype": 3, "notes": "rosacea: refer"})
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert (record.skin_phototype, record.notes, record.email, record.phone) == (
        3, "rosacea: refer", "a@example.org", "+79120000001")
    event = AuditEvent.objects.get(action="change", subject_id=str(record.pk))
    assert event.detail == "fields: skin_phototype,notes"


def test_a_bad_patch_changes_nothing(client, users):
    record = Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    client.force_login(users["reception"])
    response = _patch(client, f"/api/clients/{record.pk}", {"notes": "new", "phone": "12345"})
    assert response.status_code == 422 and _fields(response) == {"phone"}
    record.refresh_from_db()
    assert (record.notes, record.phone) == ("", "+79120000001")
    assert not AuditEvent.objects.filter(action="change").exists()


@pytest.mark.parametrize("body", [{"full_name": None}, {"email": None}, {"notes": None}, {"clinic": 2}, {"user": None}])
def test_a_patch_of_a_field_that_cannot_be_null_or_changed_is_a_422(client, users, body):
    record = Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    client.force_login(users["admin"])
    response = _patch(client, f"/api/clients/{record.pk}", body)
    assert response.status_code == 422 and _fields(response) == set(body)


def test_a_client_of_another_clinic_is_a_404_and_nothing_changes(client, users, theirs):
    client.force_login(users["admin"])
    assert client.get(f"/api/clients/{theirs.pk}").status_code == 404
    response = _patch(client, f"/api/clients/{theirs.pk}", {"notes": "ours now"})
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}
    with state.platform():
        theirs.refresh_from_db()
    assert theirs.notes == "theirs"
    assert AuditEvent.objects.filter(actor=users["admin"], action="not_found").count() == 2


def test_a_token_acts_only_in_its_clinic(client, make_user, clinic, other_clinic, theirs):
    """An admin of both clinics: each token sees, changes and adds only in the clinic it was issued in."""
    ours = Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    both = make_user("admin", "admin-of-both")
    with state.activate(other_clinic):
        Membership.objects.create(user=both, role=Membership.Role.ADMIN)
        theirs_token = tokens.issue(both, "crm of clinic B")[1]
    ours_token = tokens.issue(both, "crm of clinic A")[1]

    def ids(token: str) -> set[int]:
        page = client.get("/api/clients", headers={"Authorization": f"Bearer {token}"}).json()
        return {row["id"] for row in page["items"]}

    assert ours.pk in ids(ours_token) and theirs.pk not in ids(ours_token)
    assert ids(theirs_token) == {theirs.pk}
    bearer = {"Authorization": f"Bearer {ours_token}"}
    assert client.get(f"/api/clients/{theirs.pk}", headers=bearer).status_code == 404
    assert _patch(client, f"/api/clients/{theirs.pk}", {"notes": "x"}, **bearer).status_code == 404
    created = _post(client, {"full_name": "New Client", "phone": "+79120000009"}, **bearer)
    assert created.status_code == 201
    with state.platform():
        assert Client.objects.get(pk=created.json()["id"]).clinic == clinic


def test_a_client_reads_their_own_record_and_no_other(client, users):
    own = Client.objects.get(user=users["client"])
    other = Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    client.force_login(users["client"])
    assert client.get(f"/api/clients/{own.pk}").json()["id"] == own.pk
    assert client.get(f"/api/clients/{other.pk}").status_code == 404
    assert client.get("/api/clients").status_code == 403


def test_a_client_may_change_only_the_contact_details_of_their_own_record(users):
    """The one rule the pages and the API share: clinical fields are the staff's."""
    own = Client.objects.get(user=users["client"])
    other = Client.objects.create(full_name="Anna Morozova", phone="+79120000001")
    _record, changed = services.update_client(own, {"phone": "8 912 345 67 89"}, by=users["client"])
    assert changed == ["phone"]
    with pytest.raises(services.NotAllowed) as refused:
        services.update_client(own, {"notes": "mine"}, by=users["client"])
    assert refused.value.field == "notes"
    with pytest.raises(services.NotAllowed):
        services.update_client(other, {"phone": "+79120000002"}, by=users["client"])
    with pytest.raises(services.NotAllowed):
        services.create_client({"full_name": "X", "phone": "+79120000002"}, by=users["practitioner"])
