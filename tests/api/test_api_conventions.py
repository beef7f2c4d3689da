"""One style across the API: pages of {items, count}, one error body for every 4xx, and a document that says so."""

from __future__ import annotations

import json

import pytest

from cryoclinic.api.pagination import MAX_LIMIT

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/procedures",
    "/api/directory/cities",
    "/api/directory/salons",
    "/api/directory/stats",
    "/api/appointments",
    "/api/practitioners",
    "/api/rooms",
    "/api/adverse-events",
    "/api/clients",
    "/api/courses",
]


def _error_shaped(response) -> bool:
    data = response.json()
    return set(data) == {"detail", "errors"} and all(set(e) == {"field", "message"} for e in data["errors"])


@pytest.mark.parametrize("url", LISTS)
def test_every_list_is_a_page_of_items_with_the_total_count(client, users, demo, url):
    client.force_login(users["admin"])
    everything = client.get(url, {"limit": MAX_LIMIT}).json()
    assert set(everything) == {"items", "count"} and everything["count"] == len(everything["items"])
    page = client.get(url, {"limit": 1, "offset": 1}).json()
    assert page["count"] == everything["count"] and page["items"] == everything["items"][1:2]


@pytest.mark.parametrize(("params", "field"), [({"limit": 0}, "limit"), ({"limit": MAX_LIMIT + 1}, "limit"),
                                               ({"limit": "ten"}, "limit"), ({"offset": -1}, "offset")])
def test_a_bad_page_is_a_422_naming_the_field(client, params, field):
    response = client.get("/api/procedures", params)
    assert response.status_code == 422 and _error_shaped(response)
    assert response.json()["errors"][0]["field"] == field


def test_appointments_filter_by_status_and_procedure(client, users, demo):
    from cryoclinic.scheduling.models import Appointment

    client.force_login(users["reception"])
    booked = Appointment.objects.filter(status="booked").count()
    assert client.get("/api/appointments", {"status": "booked"}).json()["count"] == booked
    assert client.get("/api/appointments", {"procedure": "botox"}).json()["count"] == 0
    bad = client.get("/api/appointments", {"status": "lost"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_an_unknown_route_is_a_404_in_the_error_shape(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404 and _error_shaped(response)
    assert "/api/docs" in response.json()["errors"][0]["message"]


def test_a_wrong_method_is_a_405_in_the_error_shape(client):
    response = client.delete("/api/procedures")
    assert response.status_code == 405 and _error_shaped(response) and response["Allow"] == "GET"


@pytest.mark.parametrize("payload", ["{not json", "procedure=x"])
def test_a_body_that_is_not_json_is_a_422_naming_the_body(client, payload):
    response = client.post("/api/screening", payload, content_type="application/json")
    assert response.status_code == 422 and _error_shaped(response)
    assert response.json()["errors"][0]["field"] == "body"


@pytest.mark.parametrize(
    ("method", "url", "payload", "field"),
    [
        ("get", "/api/directory/salons?city=mos%00cow", None, "city"),
        ("get", "/api/procedures/facial%00", None, "path"),
        ("post", "/api/screening", {"procedure": "cryodestruction", "answers": {"x\u0000": True}}, "answers.x\u0000"),
        ("post", "/api/clinic/closed-days", {"date": "2031-01-01", "reason": "a\u0000b"}, "reason"),
    ],
)
def test_a_nul_character_anywhere_is_a_422_naming_the_field(client, users, demo, method, url, payload, field):
    """PostgreSQL cannot store or compare NUL; the API refuses it before any query, as Django's forms do."""
    client.force_login(users["admin"])
    data = {"data": json.dumps(payload), "content_type": "application/json"} if payload else {}
    response = getattr(client, method)(url, **data)
    assert response.status_code == 422 and _error_shaped(response)
    assert response.json()["errors"][0]["field"] == field


def test_no_credentials_is_a_401_in_the_error_shape(client):
    response = client.get("/api/appointments")
    assert response.status_code == 401 and _error_shaped(response)


def test_a_session_write_without_the_csrf_token_is_a_403_in_the_error_shape(client, users, demo):
    client.force_login(users["admin"])
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/clinic/closed-days", json.dumps({"date": "2031-01-01"}),
                           content_type="application/json")
    assert response.status_code == 403 and _error_shaped(response)


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_document_declares_the_error_body_for_every_refusal(client):
    document = client.get("/api/openapi.json").json()
    assert {"detail", "errors"} <= set(document["components"]["schemas"]["ErrorOut"]["properties"])
    for path, method, operation in _operations(document):
        where = (method, path)
        codes = operation["responses"]
        for code, response in codes.items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
        if operation.get("security"):
            assert "401" in codes, where
            assert {"TokenAuth", "SessionAuth"} <= {name for scheme in operation["security"] for name in scheme}
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in codes, where


def test_every_list_operation_documents_its_page(client):
    document = client.get("/api/openapi.json").json()
    for path in LISTS:
        operation = document["paths"][path]["get"]
        assert {"limit", "offset"} <= {p["name"] for p in operation["parameters"]}
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        page = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert set(page["properties"]) == {"items", "count"}
