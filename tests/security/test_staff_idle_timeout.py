"""Staff sessions expire after inactivity; a client's session does not."""

from __future__ import annotations

import time

import pytest

from cryoclinic.accounts.idle import LAST_SEEN

pytestmark = pytest.mark.django_db


def _idle(client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - minutes * 60
    session.save()


@pytest.mark.parametrize("role", ["admin", "practitioner", "reception"])
def test_staff_are_signed_out_after_the_idle_limit(client, make_user, settings, role):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(make_user(role))
    assert client.get("/en/staff/").status_code == 200
    _idle(client, 31)
    response = client.get("/en/staff/clients/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "next=/en/staff/clients/" in response["Location"]
    login_page = client.get(response["Location"])
    assert "minutes without activity" in login_page.content.decode()
    assert client.get("/en/staff/").status_code == 302  # signed out: the session is gone, not just refused once


def test_the_clock_is_written_at_most_once_a_minute(client, make_user, settings):
    client.force_login(make_user("reception"))
    client.get("/en/staff/")
    first = client.session[LAST_SEEN]
    client.get("/en/staff/clients/")
    assert client.session[LAST_SEEN] == first  # no session write on every request


def test_activity_within_the_limit_keeps_the_session(client, make_user, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(make_user("reception"))
    client.get("/en/staff/")
    _idle(client, 29)
    assert client.get("/en/staff/clients/").status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5  # each request restarts the clock


def test_the_api_answers_401_to_an_expired_staff_session(client, make_user, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(make_user("admin"))
    assert client.get("/api/practitioners").status_code == 200
    _idle(client, 45)
    response = client.get("/api/practitioners", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "without activity" in response.json()["detail"]


def test_the_platform_admin_expires_too(client, make_user, settings):
    settings.STAFF_IDLE_MINUTES = 10
    client.force_login(make_user("platform_admin"))
    assert client.get("/en/platform/directory/").status_code == 200
    _idle(client, 11)
    assert client.get("/en/platform/directory/").status_code == 302


def test_a_clients_session_is_not_cut_by_the_staff_limit(client, make_user, settings, link_client):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(make_user("client"))
    client.get("/en/")
    _idle(client, 120)
    assert client.get("/en/account/courses/").status_code == 200
