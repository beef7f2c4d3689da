"""Salon names and addresses in both languages: the source's salons get the reviewed Russian renderings, marked as
derived from the source's translation; pages pick the language's, the API gives both."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cryoclinic.directory import names
from cryoclinic.directory.importer import SEED_PRICES, import_seed_prices
from cryoclinic.directory.models import City, Salon
from cryoclinic.directory.parsing import parse_text

pytestmark = pytest.mark.django_db

# The renderings the issue names, and the brands that stay Latin.
EXPECTED = {
    ("st. Chkalova, 32A", 'Beauty salon "Tais"'): ("ул. Чкалова, 32А", "Салон красоты «Таис»"),
    ("Moskovsky prospect, 73, building 4", "Medical"): ("Московский проспект, 73, корп. 4", "Медицинский"),
    ("st. 40 years of Victory, 116", 'Clinic "Cosmet"'): ("ул. 40 лет Победы, 116", "Клиника «Cosmet»"),
    ("st. Composers, 10", "Beauty studio “Pro Visage”"): ("ул. Композиторов, 10", "Студия красоты «Pro Visage»"),
    ("Sredny prospect, 85, lit.U", 'Medical clinic "NJ med"'): ("Средний проспект, 85, лит. У",
                                                                "Медицинская клиника «NJ med»"),
    ("st. Sergius of Radonezh, 5/2, p. 1", "Family Clinic"): ("ул. Сергия Радонежского, 5/2, стр. 1", "Family Clinic"),
}


def test_every_salon_and_every_reading_of_the_source_has_a_russian_rendering():
    table = parse_text(SEED_PRICES.read_text(encoding="utf-8"))
    for row in table.rows:
        for reading in row.readings:
            found = names.for_source_row(_slug(row.city), row.name, reading.address)
            assert found is not None, (row.city, row.name, reading.address)
            assert names.has_cyrillic(found.address_ru)


def _slug(city: str) -> str:
    from django.utils.text import slugify

    return slugify(city)


def test_the_source_salons_get_both_languages_marked_as_derived_from_the_translation():
    import_seed_prices()
    assert Salon.objects.count() == 26
    assert not Salon.objects.exclude(names_origin=Salon.NamesOrigin.SOURCE_TRANSLATION).exists()
    for (address_en, name_en), (address_ru, name_ru) in EXPECTED.items():
        salon = Salon.objects.get(address=address_en)
        assert (salon.name_en, salon.address_en, salon.name_ru, salon.address_ru) == (
            name_en, address_en, name_ru, address_ru)
    assert Salon.objects.get(address="st. Rokossovsky, 38").name_in("ru") == ""  # the source gives no name


def test_the_russian_page_shows_the_russian_name_and_address_and_says_where_they_come_from(client):
    import_seed_prices()
    tais = Salon.objects.get(address="st. Chkalova, 32A")
    ru = client.get(f"/ru/directory/salons/{tais.pk}/").content.decode()
    assert "Салон красоты «Таис»" in ru and "ул. Чкалова, 32А" in ru
    assert "st. Chkalova" not in ru and "Beauty salon" not in ru
    assert 'data-testid="names-origin"' in ru
    en = client.get(f"/en/directory/salons/{tais.pk}/").content.decode()
    assert "Beauty salon &quot;Tais&quot;" in en and "st. Chkalova, 32A" in en
    listing = client.get("/ru/directory/", {"city": "yaroslavl"}).content.decode()
    assert "ул. Большая Фёдоровская, 29/1" in listing and "Bolshaya" not in listing


def test_an_import_in_one_language_files_it_under_that_language(tmp_path):
    from django.core.management import call_command

    prices = tmp_path / "prices.csv"
    prices.write_text("city,name,address,price_rub,phone\nTver,Лёд,ул. Советская 1,1200,\n"
                      "Tver,Ice Studio,1 Sovetskaya St,1300,\n", encoding="utf-8")
    call_command("import_prices", str(prices), "--source", "price list 2026")
    ice, led = Salon.objects.get(name="Ice Studio"), Salon.objects.get(name="Лёд")
    assert (led.name_ru, led.name_en, led.names_origin) == ("Лёд", "", "import")
    assert (ice.name_ru, ice.name_en, ice.address_en) == ("", "Ice Studio", "1 Sovetskaya St")
    assert (led.name_in("en"), ice.name_in("ru")) == ("Лёд", "Ice Studio")  # the other language, not nothing


def test_the_migration_names_existing_salons_in_both_languages():
    migration = importlib.import_module("cryoclinic.directory.migrations.0004_salon_names")
    import_seed_prices()
    city = City.objects.get(slug="tver")
    own = Salon.objects.create(city=city, name="Лёд", address="ул. Советская, 1")
    Salon.objects.update(name_ru="", name_en="", address_ru="", address_en="", names_origin="staff")
    migration.fill_names(apps, None)
    tais, own = Salon.objects.get(address="st. Chkalova, 32A"), Salon.objects.get(pk=own.pk)
    assert (tais.address_ru, tais.names_origin) == ("ул. Чкалова, 32А", "source_translation")
    assert (own.name_ru, own.address_ru, own.name_en, own.names_origin) == ("Лёд", "ул. Советская, 1", "", "staff")


def test_a_malformed_renderings_file_is_refused_naming_the_entry():
    with pytest.raises(names.NamesFileError, match="tver.addresses: 'x' has no Russian rendering"):
        names._check({"tver": {"names": {}, "addresses": {"x": "x"}}})
