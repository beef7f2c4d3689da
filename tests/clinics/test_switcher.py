"""A person in several clinics acts for one at a time and switches between their own, never into another."""

from __future__ import annotations

import pytest

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_b(other_clinic) -> Clinic:
    return other_clinic


def _in(clinic: Clinic, **fields) -> Client:
    with state.activate(clinic):
        return Client.objects.create(**fields)


def test_a_member_of_two_clinics_sees_one_clinics_clients_at_a_time_and_switches(
    client, make_user, grant_role, clinic, clinic_b
):
    person = make_user("admin", username="both")
    grant_role(person, "reception", clinic_b)
    _in(clinic, full_name="Клиентка А", phone="+79160000001")
    _in(clinic_b, full_name="Клиентка Б", phone="+79160000002")
    client.force_login(person)
    page = client.get("/en/staff/clients/").content.decode()
    assert "Клиентка А" in page and "Клиентка Б" not in page
    assert 'data-testid="clinic-switch"' in page
    response = client.post("/en/clinic/switch/", {"clinic": clinic_b.pk, "next": "/en/staff/clients/"})
    assert response.status_code == 302 and response["Location"] == "/en/staff/clients/"
    page = client.get("/en/staff/clients/").content.decode()
    assert "Клиентка Б" in page and "Клиентка А" not in page


def test_switching_to_a_clinic_one_does_not_belong_to_changes_nothing(client, make_user, clinic, clinic_b):
    person = make_user("admin", username="only-a")
    _in(clinic, full_name="Клиентка А", phone="+79160000001")
    client.force_login(person)
    client.post("/en/clinic/switch/", {"clinic": clinic_b.pk})
    assert client.session["cryoclinic_clinic_id"] == clinic.pk
    assert "Клиентка А" in client.get("/en/staff/clients/").content.decode()
    assert client.post("/en/clinic/switch/", {"clinic": "not-a-number"}).status_code == 302


def test_the_switch_never_redirects_off_site(client, make_user, clinic):
    client.force_login(make_user("admin"))
    response = client.post("/en/clinic/switch/", {"clinic": clinic.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/en/accounts/after-login/"
