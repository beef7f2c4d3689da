import pytest

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client

pytestmark = pytest.mark.django_db


def test_staff_view_of_a_client_record_is_audit_logged(client, users, demo):
    record = Client.objects.first()
    client.force_login(users["practitioner"])
    assert client.get(f"/en/staff/clients/{record.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="view", subject_id=str(record.pk))
    assert event.actor == users["practitioner"]
    assert event.actor_roles == "practitioner"
    assert event.subject_type == "clients.client"
    assert event.path == f"/en/staff/clients/{record.pk}/"


def test_client_list_is_audit_logged_with_the_query(client, users, demo):
    client.force_login(users["reception"])
    client.get("/en/staff/clients/?q=Мария")
    event = AuditEvent.objects.get(action="list")
    assert event.detail == "q=Мария" and event.actor == users["reception"]


def test_refused_access_writes_no_record_view(client, users, demo):
    record = Client.objects.first()
    client.force_login(users["client"])
    assert client.get(f"/en/staff/clients/{record.pk}/").status_code == 403
    assert not AuditEvent.objects.filter(action="view").exists()


def test_client_sees_only_their_own_record(client, demo):
    from django.contrib.auth.models import User

    own = Client.objects.get(user__username="demo-client")
    client.force_login(User.objects.get(username="demo-client"))
    html = client.get("/en/account/").content.decode()
    assert own.full_name in html
    other = Client.objects.exclude(pk=own.pk).first()
    assert other.full_name not in html
    assert AuditEvent.objects.filter(action="view", subject_id=str(own.pk), detail="own record").exists()


def test_audit_events_cannot_be_edited_in_the_admin(client, users, demo):
    client.force_login(users["admin"])
    from cryoclinic.accounts import audit

    event = audit.record(users["admin"], "view", Client.objects.first())
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "x"}).status_code == 403
