"""Importing the source's price table: every salon right, ambiguous rows held for review, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cryoclinic.directory.importer import SEED_PRICES, confirm_pending, import_seed_prices
from cryoclinic.directory.models import City, PendingRow, PriceEntry, Salon

pytestmark = pytest.mark.django_db

# Read by hand from the source's section "Cost of services in salons": (city, name, address, price).
CERTAIN = [
    ("moscow", "Family Clinic", "st. Sergius of Radonezh, 5/2, p. 1", 1160),
    ("moscow", 'Salon "Lady-M"', "st. Petrozavodskaya, 11, building 1", 800),
    ("saint-petersburg", "Medical", "Moskovsky prospect, 73, building 4", 1000),
    ("saint-petersburg", 'Medical clinic "NJ med"', "Sredny prospect, 85, lit.U", 700),
    ("saint-petersburg", "Beauty studio “Pro Visage”", "st. Composers, 10", 450),
    ("krasnodar", 'Clinic "Be Healthy"', "st. Turgeneva, 96", 935),
    ("krasnodar", 'Clinic "Cosmet"', "st. 40 years of Victory, 116", 500),
    ("krasnodar", "Multidisciplinary medical", "st. Severnaya, 315", 1800),
    ("rostov-on-don", "Medical", "st. Dachnaya, 8", 400),
    ("rostov-on-don", 'Clinic "Skinerica"', "st. Krasnoarmeyskaya, 72", 800),
    ("rostov-on-don", 'Cosmetology "Lalin"', "st. 1st Circular, 91", 550),
    ("nizhny-novgorod", 'Beauty salon "Manific Plaza"', "st. Varvarskaya, 6A", 700),
    ("voronezh", "Cosmetology clinic “VrnCOSMO”", "st. Kholzunova, 38", 600),
    ("voronezh", 'Multidisciplinary clinic "Sova"', "st. Nikitinskaya, 52", 450),
    ("voronezh", "Cryostudio “Life Energy”", "st. Pushkinskaya, 10", 400),
    ("volgograd", "", "st. Rokossovsky, 38", 350),
    ("volgograd", "Health and beauty salon “Style”", "st. Karl Marx, 5", 550),
    ("volgograd", 'Clinic "Panacea"', "st. Profsoyuznaya, 15B", 470),
    ("ekaterinburg", 'Beauty studio "Fit-and-Beauty"', "st. Mikheeva, 2", 600),
    ("ekaterinburg", 'Beauty salon "Alliance"', "st. Karl Marx, 60", 500),
    ("ekaterinburg", 'Cosmetology office "COSMETOLOGY FOR YOU"', "st. Aviatsionnaya, 59, of. 5", 550),
    ("yaroslavl", "International medical", "st. Flotskaya, 8a", 550),
    ("yaroslavl", 'Beauty salon "Tais"', "st. Chkalova, 32A", 300),
    ("yaroslavl", '"Clinic of Doctor Krotov"', "st. Bolshaya Fedorovskaya, 29/1", 300),
    ("tver", 'Center for Aesthetic and Regenerative Medicine "Triomed"', "st. Krasnoflotskaya embankment, 17", 400),
    ("tver", "Narnia Spa", "st. Simeonovskaya, 33a", 700),
]
# The house number and the price run together: more than one reading, none guessed.
AMBIGUOUS = {
    ("moscow", 'Beauty and health club "Gioconda"'): {
        ("Khvalynsky Boulevard, 2", 850),
        ("Khvalynsky Boulevard, 28", 50),
    },
    ("nizhny-novgorod", "Medical"): {("Lenin Avenue, 7", 2650), ("Lenin Avenue, 72", 650), ("Lenin Avenue, 726", 50)},
    ("nizhny-novgorod", "Cosmetology clinic “WHITE Beauty Clinic”"): {
        ("Zarechny Boulevard, 4", 550),
        ("Zarechny Boulevard, 45", 50),
    },
    ("tver", 'Beauty salon "Beauty Academy"'): {("Pobedy Avenue, 2", 7500), ("Pobedy Avenue, 27", 500)},
}


def _imported() -> set[tuple[str, str, str, int]]:
    return {
        (p.salon.city.slug, p.salon.name, p.salon.address, p.amount_rub)
        for p in PriceEntry.objects.select_related("salon__city")
    }


def test_the_source_table_gives_every_certain_salon_with_name_address_and_price():
    summary = import_seed_prices()
    assert _imported() == set(CERTAIN)
    assert (summary.rows, summary.prices_created, summary.pending_created) == (30, 26, 4)
    assert City.objects.count() == 10
    assert City.objects.get(slug="rostov-on-don").name_ru == "Ростов-на-Дону"
    assert all(salon.phone == "" for salon in Salon.objects.all())  # the source cuts every number to "+7"


def test_ambiguous_rows_wait_for_review_with_their_candidate_readings():
    import_seed_prices()
    pending = {
        (row.city.slug, row.name): {(c["address"], c["price_rub"]) for c in row.candidates}
        for row in PendingRow.objects.all()
    }
    assert pending == AMBIGUOUS
    assert not Salon.objects.filter(address__startswith="Khvalynsky").exists()


def test_confirming_a_reading_creates_the_salon_and_its_price_once():
    import_seed_prices()
    row = PendingRow.objects.get(name='Beauty salon "Beauty Academy"')
    choice = next(i for i, c in enumerate(row.candidates) if c["price_rub"] == 500)
    salon = confirm_pending(row, choice)
    assert (salon.address, salon.prices.get().amount_rub) == ("Pobedy Avenue, 27", 500)
    with pytest.raises(ValueError, match="already confirmed"):
        confirm_pending(row, choice)


def test_importing_twice_changes_nothing():
    import_seed_prices()
    before = (_imported(), PendingRow.objects.count(), Salon.objects.count())
    summary = import_seed_prices()
    assert (summary.prices_created, summary.pending_created, summary.unchanged) == (0, 0, 30)
    assert (_imported(), PendingRow.objects.count(), Salon.objects.count()) == before


def test_a_broken_file_writes_nothing_and_names_the_line(tmp_path: Path):
    lines = SEED_PRICES.read_text(encoding="utf-8").splitlines()
    lines[20] = "Clinic without any price+7"  # a row of the Krasnodar table
    broken = tmp_path / "prices.txt"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match="line 21") as err:
        call_command("import_prices", str(broken), "--source", "test")
    assert "Nothing was imported" in str(err.value)
    assert (Salon.objects.count(), PendingRow.objects.count(), City.objects.count()) == (0, 0, 0)


def test_csv_import_and_its_errors(tmp_path: Path, capsys):
    good = tmp_path / "prices.csv"
    good.write_text(
        "city,name,address,price_rub,phone\nTver,Лёд,ул. Советская 1,1 200,+74822000000\n", encoding="utf-8"
    )
    call_command("import_prices", str(good), "--source", "price list 2026", "--date", "2026-11-01")
    assert "1 prices added" in capsys.readouterr().out
    entry = PriceEntry.objects.get()
    assert (entry.amount_rub, str(entry.date), entry.salon.phone) == (1200, "2026-11-01", "+74822000000")
    bad = tmp_path / "bad.csv"
    bad.write_text("city,name,address,price_rub,phone\nTver,X,ул. Мира 2,дёшево,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: price_rub 'дёшево'"):
        call_command("import_prices", str(bad), "--source", "s")
    with pytest.raises(CommandError, match="Unknown procedure"):
        call_command("import_prices", str(good), "--source", "s", "--procedure", "botox")
    assert PriceEntry.objects.count() == 1


def test_the_platform_admin_confirms_the_proposed_reading_in_the_admin_in_one_click(client, users):
    import_seed_prices()
    row = PendingRow.objects.get(name='Beauty and health club "Gioconda"')
    client.force_login(users["platform_admin"])
    listing = client.get("/admin/directory/pendingrow/").content.decode()
    assert "1) Khvalynsky Boulevard, 2 — 850 ₽ (z 1.22) ← proposed" in listing
    client.post("/admin/directory/pendingrow/", {"action": "confirm_proposed_reading", "_selected_action": [row.pk]})
    salon = Salon.objects.get(address="Khvalynsky Boulevard, 2")
    assert salon.prices.get().amount_rub == 850
    assert (salon.name_ru, salon.address_ru) == ("Клуб красоты и здоровья «Джоконда»", "Хвалынский бульвар, 2")


def test_a_later_reading_is_still_one_action_away(client, users):
    import_seed_prices()
    row = PendingRow.objects.get(name='Beauty salon "Beauty Academy"')
    client.force_login(users["platform_admin"])
    client.post("/admin/directory/pendingrow/", {"action": "confirm_reading_2", "_selected_action": [row.pk]})
    assert Salon.objects.get(name='Beauty salon "Beauty Academy"').address == "Pobedy Avenue, 2"
