"""Both languages render every procedure page with every section of the knowledge base."""

import pytest
from django.urls import reverse
from django.utils import translation

from cryoclinic.knowledge.loader import knowledge_base

pytestmark = pytest.mark.django_db
SLUGS = sorted(knowledge_base().procedures)


def _url(name, lang, **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_procedure_page_shows_every_item_in_its_language(client, slug, lang):
    procedure = knowledge_base().procedures[slug]
    response = client.get(_url("procedure-detail", lang, slug=slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert getattr(procedure.name, lang) in html
    items = [
        *procedure.indications, *procedure.contraindications, *procedure.preparation.before_the_day,
        *procedure.preparation.prerequisites, *procedure.techniques, *procedure.protocol_stages,
        *procedure.timing_rules, *procedure.effects, *procedure.results, *procedure.side_effects,
        *procedure.aftercare, *procedure.advantages, *procedure.disadvantages, *procedure.expert_notes,
    ]
    for item in items:
        assert f'data-code="{item.code}"' in html
        text = getattr(item.text, lang).replace('"', "&quot;").replace("'", "&#x27;")
        assert text in html, (slug, item.code)
    assert "Источник:" in html if lang == "ru" else "Source:" in html


def test_course_rules_are_shown_with_their_source(client):
    html = client.get(_url("procedure-detail", "en", slug="facial-cryomassage")).content.decode()
    assert "10–20 minutes" in html
    assert "2–3 days" in html
    assert "no sooner than 6 months" in html
    assert "section “Course duration”" in html


def test_russian_page_is_in_russian(client):
    html = client.get(_url("procedure-detail", "ru", slug="facial-cryomassage")).content.decode()
    assert "Противопоказания" in html and "Обострение герпеса" in html
    assert "Contraindications" not in html


def test_darsonvalization_page_says_the_source_gives_no_contraindications(client):
    html = client.get(_url("procedure-detail", "en", slug="scalp-darsonvalization")).content.decode()
    assert "names no contraindications for darsonvalization" in html


def test_unknown_procedure_is_404(client):
    assert client.get("/en/procedures/botox/").status_code == 404


def test_language_switch_keeps_the_page(client):
    html = client.get("/ru/procedures/cryodestruction/").content.decode()
    assert 'href="/en/procedures/cryodestruction/"' in html
    html = client.get("/en/procedures/cryodestruction/").content.decode()
    assert 'href="/ru/procedures/cryodestruction/"' in html


def test_home_and_list_in_both_languages(client):
    for lang in ("ru", "en"):
        for name in ("home", "procedure-list"):
            html = client.get(_url(name, lang)).content.decode()
            for procedure in knowledge_base().procedures.values():
                assert getattr(procedure.name, lang) in html


def test_pages_load_no_external_assets(client):
    html = client.get("/en/procedures/facial-cryomassage/").content.decode()
    assert "http://" not in html.replace('http://www.w3', "") and "https://" not in html
    assert 'name="viewport"' in html
