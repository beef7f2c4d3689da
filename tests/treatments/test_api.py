"""The treatments API: open, record, complete a session (422 naming every missing item), report events."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from cryoclinic.treatments.models import AdverseEvent, SessionRecord

pytestmark = pytest.mark.django_db


def _json(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def test_a_practitioner_opens_records_and_is_told_every_missing_item(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    url = f"/api/appointments/{appointment.pk}/session"
    assert client.get(url).status_code == 404
    opened = _json(client, "post", url)
    assert opened.status_code == 201 and opened.json()["status"] == "draft"
    patched = _json(client, "patch", url, {"technique": "cotton_swab", "zones": ["forehead"]})
    assert patched.status_code == 200 and patched.json()["zones"] == ["forehead"]
    refused = _json(client, "post", url + "/complete")
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"rescreen", "started_at", "ended_at", "aftercare", "stage:makeup_removal"} <= fields
    assert "technique" not in fields and SessionRecord.objects.get().status == "draft"


def test_bad_session_details_are_a_422_naming_the_field(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    url = f"/api/appointments/{appointment.pk}/session"
    _json(client, "post", url)
    response = _json(client, "patch", url, {"zones": ["elbow"]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "zones"


def test_reception_reads_but_may_not_open_a_session(client, appointment, make_user):
    client.force_login(make_user("reception"))
    response = _json(client, "post", f"/api/appointments/{appointment.pk}/session")
    assert response.status_code == 403 and not SessionRecord.objects.exists()


def test_events_are_reported_and_listed_and_a_bad_code_is_refused(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    today = timezone.localdate().isoformat()
    body = {"client": appointment.client_id, "procedure": "facial-cryomassage", "code": "peeling",
            "severity": "mild", "onset_on": today, "appointment": appointment.pk}
    assert _json(client, "post", "/api/adverse-events", body).status_code == 201
    bad = _json(client, "post", "/api/adverse-events", body | {"code": "pain"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    unknown = _json(client, "post", "/api/adverse-events", body | {"procedure": "botox"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "procedure"
    listed = client.get(f"/api/adverse-events?client={appointment.client_id}")
    assert [e["code"] for e in listed.json()["items"]] == ["peeling"]
    assert AdverseEvent.objects.count() == 1


def test_clients_may_not_use_the_treatments_api(client, appointment, make_user):
    client.force_login(make_user("client"))
    assert client.get("/api/adverse-events").status_code == 403
    assert client.get(f"/api/appointments/{appointment.pk}/session").status_code == 403
