"""Resources over the API: staff read hours, rooms, absences; admins record absences and closed days."""

from __future__ import annotations

import json

import pytest

from cryoclinic.scheduling.models import Absence, ClosedDay, Practitioner

pytestmark = pytest.mark.django_db


def test_staff_read_the_clinic_practitioners_and_rooms(client, users, demo):
    client.force_login(users["reception"])
    clinic = client.get("/api/clinic").json()
    assert clinic["time_zone"] == "Europe/Moscow" and len(clinic["opening_hours"]) == 6
    practitioners = client.get("/api/practitioners").json()["items"]
    assert len(practitioners) == 3 and all(len(p["working_hours"]) == 6 for p in practitioners)
    assert client.get("/api/rooms").json()["count"] == 2
    client.force_login(users["client"])
    assert client.get("/api/practitioners").status_code == 403


def test_admin_records_an_absence_and_a_closed_day(client, users, demo):
    practitioner = Practitioner.objects.first()
    client.force_login(users["admin"])
    body = {"starts_at": "2027-01-10T00:00:00+03:00", "ends_at": "2027-01-20T00:00:00+03:00", "reason": "отпуск"}
    response = client.post(
        f"/api/practitioners/{practitioner.pk}/absences", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201 and Absence.objects.get().reason == "отпуск"
    day = {"date": "2027-01-07", "reason": "праздник"}
    assert client.post("/api/clinic/closed-days", json.dumps(day), content_type="application/json").status_code == 201
    again = client.post("/api/clinic/closed-days", json.dumps(day), content_type="application/json")
    assert again.status_code == 409 and ClosedDay.objects.count() == 1


def test_bad_absences_and_non_admins_are_refused(client, users, demo):
    practitioner = Practitioner.objects.first()
    client.force_login(users["admin"])
    body = {"starts_at": "2027-01-20T00:00:00+03:00", "ends_at": "2027-01-10T00:00:00+03:00"}
    response = client.post(
        f"/api/practitioners/{practitioner.pk}/absences", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ends_at"
    client.force_login(users["reception"])
    body = {"starts_at": "2027-01-10T00:00:00+03:00", "ends_at": "2027-01-20T00:00:00+03:00"}
    assert (
        client.post(
            f"/api/practitioners/{practitioner.pk}/absences", json.dumps(body), content_type="application/json"
        ).status_code
        == 403
    )
    assert not Absence.objects.exists()
