"""`POST /api/screening`: public, stores nothing, and a 422 naming the field for bad input."""

from __future__ import annotations

import pytest

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.knowledge.loader import knowledge_base

pytestmark = pytest.mark.django_db

MASSAGE = knowledge_base().procedures["facial-cryomassage"]
NONE = {c.code: False for c in MASSAGE.contraindications}


def post(client, body):
    return client.post("/api/screening", body, content_type="application/json")


def test_rosacea_answers_caution_with_reasons_and_sources(client):
    response = post(client, {"procedure": "facial-cryomassage", "answers": NONE | {"rosacea": True}})
    assert response.status_code == 200
    data = response.json()
    assert data["decision"] == "caution"
    assert [r["code"] for r in data["reasons"]] == ["rosacea"]
    assert data["reasons"][0]["source"] == MASSAGE.contraindication("rosacea").source
    assert MASSAGE.contraindication("rosacea").referral.ru in data["reasons"][0]["text"]["ru"]


def test_repeat_course_too_soon_gives_the_next_eligible_date(client):
    body = {"procedure": "facial-cryomassage", "answers": NONE, "today": "2026-11-24", "last_course_end": "2026-08-31"}
    data = post(client, body).json()
    assert (data["decision"], data["next_eligible_date"]) == ("postpone", "2027-02-28")


def test_cryodestruction_lists_missing_prerequisites_until_recorded(client):
    answers = {c.code: False for c in knowledge_base().procedures["cryodestruction"].contraindications}
    data = post(client, {"procedure": "cryodestruction", "answers": answers, "prerequisites_done": ["hpv_test"]}).json()
    assert data["decision"] == "postpone"
    assert "skin_ultrasound" in data["prerequisites"] and "hpv_test" not in data["prerequisites"]


def test_it_stores_nothing(client):
    post(client, {"procedure": "facial-cryomassage", "answers": NONE | {"epilepsy": True}})
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"procedure": "cryo-sauna", "answers": {}}, "procedure"),
    ({"procedure": "facial-cryomassage", "answers": {"sunburn": True}}, "answers.sunburn"),
    ({"procedure": "facial-cryomassage", "answers": {}, "today": "2026-13-01"}, "today"),
    ({"procedure": "facial-cryomassage", "answers": {}, "last_course_end": "yesterday"}, "last_course_end"),
    ({"procedure": "facial-cryomassage", "answers": {"epilepsy": "maybe"}}, "answers.epilepsy"),
    ({"procedure": "cryodestruction", "answers": {}, "prerequisites_done": ["horoscope"]},
     "prerequisites_done.horoscope"),
])
def test_bad_input_is_a_422_naming_the_field(client, body, field):
    response = post(client, body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
