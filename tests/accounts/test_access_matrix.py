"""Every page and endpoint declares who may use it, and each role reaches exactly what it should."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation

from cryoclinic.accounts.access import access_rule_of
from cryoclinic.clinics.state import current_clinic

pytestmark = pytest.mark.django_db

EVERYONE = {"anonymous", "admin", "practitioner", "reception", "client", "platform_admin"}
STAFF = {"admin", "practitioner", "reception"}
PLATFORM = {"platform_admin"}

# URL -> who gets a 200 (others: anonymous is sent to log in, signed-in users get 403).
# For views that only take POST, or need the sender's session, the allowed roles get REACHED instead.
REACHED = {405, 404}
MATRIX: dict[str, set[str]] = {
    "/en/directory/": EVERYONE,
    "/en/directory/salons/{salon}/": EVERYONE,
    "/en/staff/leads/": {"admin", "reception"},
    "/en/staff/prices/": {"admin"},
    "/en/staff/salons/{salon}/claim/": {"admin"},
    "/en/platform/directory/": PLATFORM,
    "/en/platform/directory/claims/1/": PLATFORM,
    "/en/platform/directory/rows/1/confirm/": PLATFORM,
    "/en/platform/reviews/": PLATFORM,
    "/en/platform/reviews/1/": PLATFORM,
    "/admin/directory/salonclaim/": PLATFORM,
    "/en/staff/calendar/": STAFF,
    "/en/staff/today/": {"admin", "practitioner"},
    "/en/staff/nitrogen/": STAFF,
    "/en/staff/dose/": {"admin", "practitioner"},
    "/en/staff/dose/?question=dwell&zone=neck&technique=cotton_swab&skin=male": {"admin", "practitioner"},
    "/en/staff/dose/calibration/": {"admin", "practitioner"},
    "/en/staff/dose/calibration/?technique=pressure_device": {"admin", "practitioner"},
    "/en/staff/reports/": {"admin"},
    "/en/staff/reports/?from=2026-01-01&to=2026-03-31": {"admin"},
    "/en/staff/reports/sessions.csv": {"admin"},
    "/en/staff/reports/courses.csv": {"admin"},
    "/en/staff/reports/revenue.csv": {"admin"},
    "/en/staff/reports/nitrogen.csv": {"admin"},
    "/en/staff/calendar/?view=week&by=room": STAFF,
    "/en/account/courses/": {"client"},
    "/en/account/calendar/": {"client", "practitioner"},
    "/calendar/no-such-token.ics": EVERYONE,
    "/admin/scheduling/appointment/": {"admin"},
    "/admin/scheduling/course/": {"admin"},
    "/ru/": EVERYONE,
    "/en/": EVERYONE,
    "/en/procedures/": EVERYONE,
    "/en/procedures/facial-cryomassage/": EVERYONE,
    "/en/procedures/facial-cryomassage/self-check/": EVERYONE,
    "/healthz": EVERYONE,
    "/api/procedures": EVERYONE,
    "/api/procedures/cryodestruction": EVERYONE,
    "/api/docs": EVERYONE,
    "/api/openapi.json": EVERYONE,
    "/en/staff/": STAFF,
    "/en/clinic/switch/": STAFF | {"client"},
    "/en/staff/clients/": STAFF,
    "/en/staff/clients/{client}/": STAFF,
    "/en/account/": {"client"},
    "/en/directory/salons/{salon}/request/": EVERYONE,
    "/en/directory/salons/{salon}/request/1/": EVERYONE,
    "/en/directory/salons/{salon}/review/": {"client"},
    "/en/account/edit/": {"client"},
    "/en/account/fhir.json": {"client"},
    "/en/staff/clients/{client}/fhir.json": {"admin", "practitioner"},
    "/en/account/procedures/facial-cryomassage/consent-ru.pdf": {"client"},
    "/en/staff/clients/{client}/procedures/cryodestruction/": STAFF,
    "/en/staff/clients/{client}/procedures/cryodestruction/intake/": {"admin", "practitioner"},
    "/en/staff/clients/{client}/procedures/cryodestruction/aftercare-en.pdf": STAFF,
    "/admin/": {"admin", "platform_admin"},
    "/admin/clinics/clinic/": {"admin", "platform_admin"},
    "/admin/clinics/membership/": {"admin"},
    "/admin/directory/clinicprice/": {"admin"},
    "/admin/accounts/platformauditevent/": PLATFORM,
    "/admin/notifications/platformmessage/": set(),
    "/admin/knowledge/clinicknowledgeitem/": {"admin"},
    "/admin/accounts/auditevent/": {"admin"},
    "/admin/accounts/apitoken/": {"admin"},
    "/admin/accounts/apitoken/add/": {"admin"},
    "/admin/notifications/outboxmessage/": {"admin"},
    "/admin/nitrogen/dewar/": {"admin"},
    "/admin/directory/pendingrow/": PLATFORM,
    "/admin/directory/review/": PLATFORM,
    "/admin/directory/salon/": {"admin", "platform_admin"},
    "/admin/nitrogen/consumptionrate/": {"admin"},
    "/en/staff/appointments/{appointment}/session/": STAFF,
    "/en/staff/appointments/{appointment}/session/rescreen/": {"admin", "practitioner"},
    "/en/staff/appointments/{appointment}/session/correct/": {"admin", "practitioner"},
    "/en/staff/appointments/{appointment}/outcomes/": STAFF,
    "/en/staff/adverse-events/": STAFF,
    "/en/staff/tasks/": STAFF,
    "/en/account/outcomes/": {"client"},
    "/en/account/sessions/{appointment}/move/": {"client"},
    "/en/account/data/": EVERYONE - {"anonymous"},
    "/en/account/data.json": EVERYONE - {"anonymous"},
    "/en/account/data/delete/": EVERYONE - {"anonymous"},
    "/en/staff/deletion-requests/": {"admin"},
    "/en/account/sessions/{appointment}/cancel/": {"client"},
    "/en/photos/999999/": STAFF | {"client"},
    "/en/book/{clinic_id}/facial-cryomassage/": EVERYONE,
    "/en/book/{clinic_id}/facial-cryomassage/consent/": EVERYONE,
    "/en/book/{clinic_id}/facial-cryomassage/time/": EVERYONE,
    "/en/book/done/999999/": EVERYONE - {"anonymous"},
    "/en/staff/booking-requests/": STAFF,
    "/en/account/courses/999999/deposit/": {"client"},
    "/en/account/courses/999999/deposit/return/": {"client"},
    "/en/staff/deposits/": {"admin"},
    "/payments/yookassa/clinic-a/": EVERYONE,
    "/admin/payments/shop/": {"admin"},
    "/admin/payments/depositpolicy/": {"admin"},
    "/admin/payments/deposit/": {"admin"},
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_site_view_declares_an_access_rule():
    """Views outside the admin and the API (which have their own gates) carry @public or @roles_required."""
    undeclared = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")):
            continue
        if access_rule_of(pattern.callback) is None:
            undeclared.append(route)
    assert undeclared == []


def test_every_api_operation_declares_its_auth():
    from ninja.constants import NOT_SET

    from cryoclinic.api.api import api

    assert api.auth not in (None, NOT_SET), "the API must be closed by default"
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                assert operation.auth_param is not NOT_SET or operation.auth_callbacks, (path, operation)


@pytest.mark.parametrize("url", sorted(MATRIX))
def test_role_reaches_exactly_what_it_should(users, demo, url, link_client):
    """Every role in turn (each with a browser of its own) on one page: the demo is loaded once per page."""
    from django.test import Client as Browser

    from cryoclinic.clients.models import Client

    record = Client.objects.first()
    link_client(record, users["client"])  # the client role sees this record as its own
    from cryoclinic.scheduling.models import Practitioner

    Practitioner.objects.filter(pk=Practitioner.objects.first().pk).update(user=users["practitioner"])
    from cryoclinic.directory.models import Salon

    target = url.replace("{client}", str(record.pk)).replace("{salon}", str(Salon.objects.first().pk))
    target = target.replace("{clinic_id}", str(current_clinic().pk))
    if "{appointment}" in url:
        from cryoclinic.treatments.demo import load_demo_session

        target = target.replace("{appointment}", str(load_demo_session(current_clinic(), record).pk))
    for who in sorted(EVERYONE):
        client = Browser()
        if who != "anonymous":
            client.force_login(users[who])
        _reaches_exactly_what_it_should(client.get(target), url, target, who)


def _reaches_exactly_what_it_should(response, url: str, target: str, who: str) -> None:
    assert "script-src 'self'" in response.headers.get("Content-Security-Policy", ""), target  # every response
    if who in MATRIX[url]:
        # The session's rescreen/correct pages need a session in progress/completed: 404 reaches the view.
        reached_only = url.startswith(
            ("/en/photos/", "/en/book/done/", "/en/account/courses/999999/", "/payments/")
        ) or url.endswith(
            ("/rescreen/", "/correct/", "/switch/")
        ) or url == (
            "/calendar/no-such-token.ics"
        ) or (
            url.startswith("/en/directory/") and url.endswith(("/request/", "/review/", "/request/1/"))
        ) or url.startswith(
            ("/en/platform/directory/claims/", "/en/platform/directory/rows/", "/en/platform/reviews/1/")
        )
        expected = REACHED if reached_only else {200}
        if url == "/en/account/data/delete/":
            expected = {405}  # POST only
        if url.startswith("/en/account/sessions/"):
            expected = {405} if url.endswith("/cancel/") else {200, 302}  # 302: past the notice, back to courses
        assert response.status_code in expected, (who, target, response.status_code)
    elif who == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"], (target, response.status_code)
    elif url.startswith("/admin/") and who in ("admin", "platform_admin"):
        assert response.status_code == 403, (who, target, response.status_code)  # staff of the admin, not of this
    elif url.startswith("/admin/"):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 403, (who, target, response.status_code)


def test_matrix_covers_every_site_route():
    """A new page must be added to the matrix above, and so be tested for every role."""
    with translation.override("en"):
        covered = {
            resolve(url.replace("{client}", "1").replace("{salon}", "1").replace("{appointment}", "1")
                    .replace("{clinic_id}", "1").split("?")[0])
            .route
            for url in MATRIX
            if not url.startswith("/ru/")
        }
        routes = {
            route
            for route, _pattern in _walk(get_resolver().url_patterns)
            if not route.startswith(("admin/", "api/")) and "accounts/" not in route
        }
    assert routes - covered == set()


def test_login_and_after_login_rules(client, users):
    assert client.get("/en/accounts/login/").status_code == 200
    assert "login" in client.get("/en/accounts/after-login/")["Location"]
    client.force_login(users["reception"])
    assert client.get("/en/accounts/after-login/")["Location"].endswith("/en/staff/")
    client.force_login(users["client"])
    assert client.get("/en/accounts/after-login/")["Location"].endswith("/en/account/")
    client.force_login(users["platform_admin"])
    assert client.get("/en/accounts/after-login/")["Location"].endswith("/en/platform/directory/")


def test_logout_requires_post(client, users):
    client.force_login(users["client"])
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.post("/en/accounts/logout/").status_code == 302
