"""Integrations call the API with a bearer token: issued once, hashed at rest, revocable, audit-logged."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cryoclinic.accounts import tokens
from cryoclinic.accounts.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db


def _create(username: str, name: str = "lab system") -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", username, "--name", name, stdout=out, stderr=err)
    assert "only this once" in err.getvalue()
    return out.getvalue().strip()


def test_the_command_prints_the_token_once_and_stores_only_its_hash(users):
    raw = _create("user-reception")
    token = ApiToken.objects.get()
    assert raw.startswith("cc_") and len(raw) > 40
    assert raw not in (token.token_hash, token.prefix) and raw.startswith(token.prefix)
    assert token.user == users["reception"] and token.name == "lab system" and token.revoked_at is None
    assert AuditEvent.objects.filter(action="create", subject_type="accounts.apitoken").count() == 1


def test_the_command_refuses_an_unknown_user_and_an_empty_name(users):
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token", "create", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="--name"):
        call_command("api_token", "create", "user-admin", "--name", "  ")
    assert ApiToken.objects.count() == 0


def test_a_bearer_token_acts_with_its_users_roles(client, users, demo):
    reception = _create("user-reception")
    response = client.get("/api/practitioners", HTTP_AUTHORIZATION=f"Bearer {reception}")
    assert response.status_code == 200 and response.json()["count"] == 3
    assert ApiToken.objects.get().last_used_at is not None
    own = _create("user-client")
    refused = client.get("/api/practitioners", HTTP_AUTHORIZATION=f"Bearer {own}")
    assert refused.status_code == 403 and refused.json()["detail"] == "Forbidden."


def test_a_token_writes_without_a_csrf_cookie(client, users, demo):
    from cryoclinic.scheduling.models import Practitioner

    admin = _create("user-admin")
    client.handler.enforce_csrf_checks = True
    practitioner = Practitioner.objects.first()
    response = client.post(
        f"/api/practitioners/{practitioner.pk}/absences",
        {"starts_at": "2031-01-05T09:00:00Z", "ends_at": "2031-01-05T18:00:00Z", "reason": "course"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {admin}",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("header", ["Bearer cc_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz"])
def test_an_unknown_token_is_a_401_in_the_error_shape(client, header):
    response = client.get("/api/appointments", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"} and response.json()["errors"][0]["field"] == ""


def test_a_revoked_token_is_refused_and_the_revocation_is_audited(client, users):
    raw = _create("user-practitioner")
    assert client.get("/api/appointments", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token = ApiToken.objects.get()
    out = io.StringIO()
    call_command("api_token", "revoke", str(token.pk), stdout=out)
    assert "revoked" in out.getvalue()
    assert client.get("/api/appointments", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.filter(action="revoke", subject_id=str(token.pk)).count() == 1
    tokens.revoke(token)
    assert AuditEvent.objects.filter(action="revoke").count() == 1


def test_a_token_of_a_deactivated_user_is_refused(client, users):
    raw = _create("user-practitioner")
    users["practitioner"].is_active = False
    users["practitioner"].save()
    assert client.get("/api/appointments", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_admins_issue_a_token_in_the_admin_and_see_it_once(client, users):
    client.force_login(users["admin"])
    response = client.post(
        "/admin/accounts/apitoken/add/", {"user": users["reception"].pk, "name": "pharmacy"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"] if "only this once" in str(m)]
    raw = shown[0].rsplit(" ", 1)[-1]
    assert ApiToken.objects.get().user == users["reception"]
    assert client.get("/api/clinic", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code in (200, 404)
    token = ApiToken.objects.get()
    client.post("/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "revoked" in listing.getvalue() and raw not in listing.getvalue()


def test_a_token_of_a_member_of_two_clinics_names_its_clinic(users, grant_role, clinic, other_clinic):
    from cryoclinic.clinics import state

    grant_role(users["admin"], "reception", other_clinic)
    with pytest.raises(CommandError, match="works in 2 clinics: name one with --clinic"):
        call_command("api_token", "create", "user-admin", "--name", "x")
    with pytest.raises(CommandError, match="no member of a clinic 'nowhere'"):
        call_command("api_token", "create", "user-admin", "--name", "x", "--clinic", "nowhere")
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", "user-admin", "--name", "x", "--clinic", "clinic-b", stdout=out, stderr=err)
    assert ApiToken.objects.count() == 0  # none in this clinic (A)
    with state.activate(other_clinic):
        assert ApiToken.objects.get().user == users["admin"]
    assert tokens.clinic_of(out.getvalue().strip()) == other_clinic
