"""The scheduling API: dry run, booking, listing, changes; roles, 409 on conflicts, 422 naming the field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from cryoclinic.clients.models import Client
from cryoclinic.demo import CLIENT_NAMES
from cryoclinic.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _monday() -> str:
    today = timezone.localdate()
    return (today + dt.timedelta(days=7 - today.weekday())).isoformat()


def _body(client_id: int, **kw) -> dict:
    return {
        "client": client_id,
        "procedure": "facial-cryomassage",
        "start": _monday(),
        "availability": [{"weekday": d, "start": "18:00", "end": "21:00"} for d in range(6)],
    } | kw


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json", headers={"Accept-Language": "en"})


def test_reception_plans_then_books_a_course(client, users, demo):
    client.force_login(users["reception"])
    first = Client.objects.order_by("id").first()
    plan = _post(client, "/api/courses/plan", _body(first.pk)).json()
    assert plan["ok"] and len(plan["sessions"]) == 10 and Appointment.objects.count() == 0
    booked = _post(client, "/api/courses", _body(first.pk))
    assert booked.status_code == 201

    def starts(sessions):
        return [dt.datetime.fromisoformat(s["start"]) for s in sessions]

    assert starts(booked.json()["sessions"]) == starts(plan["sessions"])
    listed = client.get("/api/appointments", {"client": first.pk}).json()
    assert listed["count"] == 10 and len(listed["items"]) == 10


def test_a_second_plan_never_overlaps_the_first_course_on_a_practitioner_or_room(client, users, demo):
    client.force_login(users["reception"])
    first, second = Client.objects.order_by("id")[:2]
    _post(client, "/api/courses", _body(first.pk, preferred_time="18:00"))
    plan = _post(client, "/api/courses/plan", _body(second.pk, preferred_time="18:00")).json()
    assert plan["ok"]
    booked = list(Appointment.objects.all())
    for session in plan["sessions"]:
        start, end = dt.datetime.fromisoformat(session["start"]), dt.datetime.fromisoformat(session["end"])
        for a in booked:
            if a.starts_at < end and start < a.ends_at:
                assert session["practitioner"] != a.practitioner_id and session["room"] != a.room_id


def test_bad_input_is_a_422_naming_the_field(client, users, demo):
    client.force_login(users["reception"])
    first = Client.objects.order_by("id").first()
    response = _post(client, "/api/courses/plan", _body(first.pk, start="2026-13-01"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "start"
    response = _post(client, "/api/courses/plan", _body(999999))
    assert response.json()["errors"][0]["field"] == "client"
    response = _post(
        client, "/api/courses/plan", _body(first.pk, availability=[{"weekday": 9, "start": "18:00", "end": "19:00"}])
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"].startswith("availability")


def test_a_contraindicated_client_cannot_be_booked(client, users, demo):
    client.force_login(users["reception"])
    last = Client.objects.get(full_name=CLIENT_NAMES[-1])  # the demo's client with epilepsy
    response = _post(client, "/api/courses", _body(last.pk))
    assert response.status_code == 422 and "contraindication" in response.json()["errors"][0]["message"]
    assert not Appointment.objects.exists()


def test_moving_onto_a_taken_slot_is_409(client, users, demo):
    client.force_login(users["reception"])
    first, second = Client.objects.order_by("id")[:2]
    a = _post(client, "/api/courses", _body(first.pk, preferred_practitioner=None)).json()["sessions"][0]
    b = _post(client, "/api/courses", _body(second.pk, preferred_time="19:00")).json()["sessions"][0]
    if a["practitioner"] != b["practitioner"] and a["room"] != b["room"]:
        pytest.skip("the planner put the two courses on different resources")
    appointment = Appointment.objects.get(starts_at=dt.datetime.fromisoformat(b["start"]), client=second)
    response = client.patch(
        f"/api/appointments/{appointment.pk}", json.dumps({"starts_at": a["start"]}), content_type="application/json"
    )
    assert response.status_code == 409 and "already booked" in response.json()["errors"][0]["message"]


def test_clients_see_and_cancel_only_their_own(client, users, demo, link_client):
    reception = users["reception"]
    client.force_login(reception)
    first, second = Client.objects.order_by("id")[:2]
    _post(client, "/api/courses", _body(first.pk))
    _post(client, "/api/courses", _body(second.pk))
    link_client(first, users["client"])
    client.force_login(users["client"])
    mine = client.get("/api/appointments").json()["items"]
    assert {a["client"] for a in mine} == {first.pk}
    theirs = Appointment.objects.filter(client=second).first()
    assert (
        client.patch(
            f"/api/appointments/{theirs.pk}", json.dumps({"status": "cancelled"}), content_type="application/json"
        ).status_code
        == 404
    )
    own = Appointment.objects.filter(client=first).order_by("starts_at").last()
    response = client.patch(
        f"/api/appointments/{own.pk}", json.dumps({"status": "done"}), content_type="application/json"
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/appointments/{own.pk}", json.dumps({"status": "cancelled"}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_clients_and_practitioners_cannot_book(client, users, demo):
    first = Client.objects.order_by("id").first()
    for role in ("client", "practitioner"):
        client.force_login(users[role])
        assert _post(client, "/api/courses", _body(first.pk)).status_code == 403
    client.logout()
    assert _post(client, "/api/courses", _body(first.pk)).status_code == 401
