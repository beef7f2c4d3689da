"""The anonymous self-check page: questions from the knowledge base, the decision with reasons, nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.knowledge.loader import knowledge_base
from cryoclinic.screening.engine import add_months

pytestmark = pytest.mark.django_db

MASSAGE = knowledge_base().procedures["facial-cryomassage"]
URL = "/{lang}/procedures/facial-cryomassage/self-check/"


def all_no() -> dict[str, str]:
    return {c.code: "no" for c in MASSAGE.contraindications}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_contraindication_is_asked_in_the_page_language(client, lang):
    html = client.get(URL.format(lang=lang)).content.decode()
    for item in MASSAGE.contraindications:
        assert item.question.get(lang) in html


def test_the_procedure_page_links_to_the_self_check(client):
    assert URL.format(lang="en") in client.get("/en/procedures/facial-cryomassage/").content.decode()


def test_epilepsy_is_contraindicated_with_its_source_and_nothing_is_stored(client):
    response = client.post(URL.format(lang="en"), all_no() | {"epilepsy": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-decision="contraindicated"' in html
    assert MASSAGE.contraindication("epilepsy").text.en in html
    assert AuditEvent.objects.count() == 0


def test_rosacea_in_russian_shows_the_caution_and_the_referral(client):
    html = client.post(URL.format(lang="ru"), all_no() | {"rosacea": "yes"}).content.decode()
    assert 'data-decision="caution"' in html
    assert MASSAGE.contraindication("rosacea").referral.ru in html


def test_recent_course_gives_the_date_to_start_from(client):
    ended = timezone.localdate() - dt.timedelta(days=30)
    html = client.post(URL.format(lang="en"), all_no() | {"last_course_end": ended.isoformat()}).content.decode()
    assert 'data-decision="postpone"' in html
    assert f'datetime="{add_months(ended, 6).isoformat()}"' in html


def test_a_course_ending_in_the_future_is_refused(client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(URL.format(lang="en"), all_no() | {"last_course_end": tomorrow.isoformat()})
    assert response.status_code == 422 and "cannot be in the future" in response.content.decode()


def test_an_unanswered_question_is_named_and_nothing_is_decided(client):
    answers = all_no()
    del answers["epilepsy"]
    response = client.post(URL.format(lang="en"), answers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Please answer this question." in html and 'data-testid="decision"' not in html


def test_a_malformed_date_is_refused(client):
    response = client.post(URL.format(lang="en"), all_no() | {"last_course_end": "31/31/2026"})
    assert response.status_code == 422 and "Enter a valid date." in response.content.decode()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_darsonvalization_asks_about_an_implanted_device_in_the_page_language(client, lang):
    item = knowledge_base().procedures["scalp-darsonvalization"].contraindication("implanted_electronic_device")
    html = client.get(f"/{lang}/procedures/scalp-darsonvalization/self-check/").content.decode()
    assert item.question.get(lang) in html and 'data-testid="no-questions"' not in html


def test_a_pacemaker_contraindicates_darsonvalization_citing_its_source(client):
    response = client.post("/en/procedures/scalp-darsonvalization/self-check/",
                           {"implanted_electronic_device": "yes"})
    html = response.content.decode()
    assert 'data-decision="contraindicated"' in html
    assert "Iskenderov" in html or "rjpbr.com" in html or "iskenderov-physiotherapy-cied" in html


def test_an_unknown_procedure_is_404(client):
    assert client.get("/en/procedures/cryo-sauna/self-check/").status_code == 404
