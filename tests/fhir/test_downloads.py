"""Who may download a record as FHIR, in what form, and that every download is audit-logged."""

from __future__ import annotations

import json

import pytest

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client

pytestmark = pytest.mark.django_db


def _other(world) -> Client:
    return Client.objects.exclude(pk=world.client.pk).order_by("id").first()


def _patient_id(response) -> str:
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle"
    return next(e["resource"]["identifier"][0]["value"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Patient")


def _exports(client: Client) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="export", subject_type="clients.client", subject_id=str(client.pk)))


def test_a_client_downloads_their_own_record_as_an_audited_fhir_file(client, world):
    client.force_login(world.client.user)
    response = client.get("/en/account/fhir.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith(f'attachment; filename="client-{world.client.pk}-record-')
    assert response["Content-Disposition"].endswith('.fhir.json"')
    assert _patient_id(response) == str(world.client.pk)
    (event,) = _exports(world.client)
    assert (event.actor, event.path) == (world.client.user, "/en/account/fhir.json")
    assert "own record" in event.detail and "en" in event.detail


def test_a_client_cannot_download_another_clients_record(client, world):
    client.force_login(world.client.user)
    other = _other(world)
    assert client.get(f"/en/staff/clients/{other.pk}/fhir.json").status_code == 403
    refused = client.get(f"/api/clients/{other.pk}/fhir")
    assert refused.status_code == 404 and refused.json()["errors"][0]["field"] == "client_id"
    assert _exports(other) == []
    own = client.get(f"/api/clients/{world.client.pk}/fhir")
    assert own.status_code == 200 and _patient_id(own) == str(world.client.pk)


def test_anonymous_users_are_sent_to_log_in_or_get_401(client, world):
    page = client.get(f"/en/staff/clients/{world.client.pk}/fhir.json")
    assert page.status_code == 302 and "login" in page["Location"]
    assert "login" in client.get("/en/account/fhir.json")["Location"]
    assert client.get(f"/api/clients/{world.client.pk}/fhir").status_code == 401
    assert _exports(world.client) == []


@pytest.mark.parametrize("username", ["demo-doctor", "demo-admin"])
def test_practitioners_and_admins_download_any_clients_record(client, world, username):
    from django.contrib.auth.models import User

    staff = User.objects.get(username=username)
    client.force_login(staff)
    other = _other(world)
    page = client.get(f"/ru/staff/clients/{other.pk}/fhir.json")
    assert page.status_code == 200 and _patient_id(page) == str(other.pk)
    assert other.full_name.encode() in page.content  # Cyrillic as UTF-8
    api = client.get(f"/api/clients/{world.client.pk}/fhir")
    assert api.status_code == 200 and api["Content-Type"] == "application/fhir+json"
    assert [e.actor_username for e in _exports(other)] == [username]
    assert [e.detail.split(":")[0] for e in _exports(world.client)] == ["API"]


def test_reception_may_not_export_a_record(client, world, make_user):
    client.force_login(make_user("reception"))
    assert client.get(f"/en/staff/clients/{world.client.pk}/fhir.json").status_code == 403
    refused = client.get(f"/api/clients/{world.client.pk}/fhir")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert _exports(world.client) == []


def test_an_unknown_client_is_a_404(client, world):
    client.force_login(world.doctor.user)
    assert client.get("/en/staff/clients/999999/fhir.json").status_code == 404
    assert client.get("/api/clients/999999/fhir").status_code == 404


def test_an_account_without_a_record_in_the_clinic_is_no_client_there(client, make_user):
    client.force_login(make_user(None))
    assert client.get("/en/account/fhir.json").status_code == 403


def test_the_pages_link_the_download_for_who_may_use_it(client, world, make_user):
    client.force_login(world.client.user)
    assert b'href="/en/account/fhir.json"' in client.get("/en/account/").content
    link = f'href="/en/staff/clients/{world.client.pk}/fhir.json"'.encode()
    client.force_login(world.doctor.user)
    assert link in client.get(f"/en/staff/clients/{world.client.pk}/").content
    reception = make_user("reception")
    client.force_login(reception)
    assert reception.memberships.get().role == "reception"
    assert link not in client.get(f"/en/staff/clients/{world.client.pk}/").content


def test_the_openapi_document_describes_the_fhir_operation(client):
    operation = client.get("/api/openapi.json").json()["paths"]["/api/clients/{client_id}/fhir"]["get"]
    assert "application/fhir+json" in operation["responses"]["200"]["content"]
    assert operation["security"]
