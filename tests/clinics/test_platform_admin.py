"""The platform admin runs the platform (clinics, the directory, reviews) and never opens a client's record."""

from __future__ import annotations

import pytest

from cryoclinic.accounts.models import AuditEvent, PlatformAuditEvent
from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(clinic) -> Client:
    return Client.objects.create(full_name="Анна Смирнова", phone="+79123456789")


@pytest.mark.parametrize(
    "url",
    [
        "/en/staff/clients/{id}/",
        "/en/staff/clients/{id}/fhir.json",
        "/en/staff/clients/{id}/procedures/facial-cryomassage/",
        "/api/clients/{id}/fhir",
        "/admin/clients/client/{id}/change/",
        "/admin/clients/client/",
    ],
)
def test_the_platform_admin_is_refused_a_clients_record_and_the_attempt_is_logged(client, users, record, url):
    client.force_login(users["platform_admin"])
    target = url.format(id=record.pk)
    response = client.get(target)
    assert response.status_code == 403, (target, response.status_code)
    assert b"Smirnova" not in response.content and "Смирнова" not in response.content.decode()
    with state.platform():
        refused = PlatformAuditEvent.objects.filter(actor=users["platform_admin"], action="refused")
        assert refused.filter(subject_id=target[:60]).exists(), list(refused.values_list("subject_id", flat=True))
        assert not AuditEvent.objects.filter(action="view", subject_id=str(record.pk)).exists()


def test_the_platform_admin_approves_a_pending_clinic(client, users):
    with state.platform():
        pending = Clinic.objects.create(slug="new", name="Новая клиника", city="Тверь", address="ул. 1", phone="+7")
    client.force_login(users["platform_admin"])
    response = client.post(
        "/admin/clinics/clinic/", {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Clinic.Status.ACTIVE and pending.approved_by == users["platform_admin"]
    with state.activate(pending):
        assert AuditEvent.objects.filter(action="approve", subject_id=str(pending.pk)).exists()


def test_a_clinic_admin_cannot_approve_clinics_or_see_other_clinics(client, users, other_clinic):
    client.force_login(users["admin"])
    listing = client.get("/admin/clinics/clinic/").content.decode()
    assert "Clinic A" in listing and "Clinic B" not in listing
    client.post("/admin/clinics/clinic/", {"action": "approve", "_selected_action": [other_clinic.pk]})
    assert client.get(f"/admin/clinics/clinic/{other_clinic.pk}/change/").status_code in (302, 404)
