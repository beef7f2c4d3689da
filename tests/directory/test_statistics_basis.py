"""Statistics are computed from cited prices only and say so; the clinics' live prices are shown apart."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cryoclinic.directory.models import ClinicPrice, PriceEntry, Salon
from cryoclinic.directory.services import stats, stats_basis

pytestmark = pytest.mark.django_db


def _moscow(procedure: str = "facial-cryomassage"):
    return next(s for s in stats(procedure) if s.city.slug == "moscow")


def test_the_demo_clinics_fictional_price_never_enters_the_moscow_figures(demo):
    moscow = _moscow()
    assert (moscow.salons, moscow.min_rub, moscow.median_rub, moscow.max_rub) == (2, 800, 980.0, 1160)
    assert ClinicPrice.objects.get(procedure="facial-cryomassage").amount_rub == 990  # the demo's, in its price list
    assert not PriceEntry.objects.filter(source__icontains="fictional").exists()


def test_a_live_price_of_a_salon_run_by_a_clinic_is_not_counted(seed, clinic):
    salon = Salon.objects.create(city=Salon.objects.filter(city__slug="moscow").first().city, name="Лёд",
                                 address="ул. Льдова, 1", clinic=clinic)
    ClinicPrice.objects.create(procedure="facial-cryomassage", amount_rub=99_000)
    assert _moscow().max_rub == 1160
    assert salon.pk not in {p.salon_id for p in PriceEntry.objects.all()}


def test_the_figures_say_what_they_are_computed_from(client, seed):
    basis = stats_basis(stats("facial-cryomassage"))
    assert (basis.price_rows, basis.sources) == (26, ("seed#prices",))
    page = client.get("/en/directory/").content.decode()
    assert "Computed from 26 prices cited from: the source article, section “Cost of services in salons”." in page
    assert "The live prices of the clinics on the platform are not included" in page
    rows = client.get("/api/directory/stats").json()["items"]
    assert sum(r["price_rows"] for r in rows) == 26 and {s for r in rows for s in r["sources"]} == {"seed#prices"}


def test_the_live_prices_are_listed_apart_from_the_statistics(client, demo):
    page = client.get("/en/directory/", {"city": "moscow"}).content.decode()
    live = page[page.index('data-testid="live-prices"'):]
    assert "Demo cryoclinic “Snezhinka”" in live and ">990<" in live
    figures = page[page.index('data-testid="stats"'):page.index('data-testid="live-prices"')]
    assert "990" not in figures


def test_the_migration_deletes_the_old_demos_fictional_price(seed):
    migration = importlib.import_module("cryoclinic.directory.migrations.0006_cited_prices_only_ranked_rows")
    salon = Salon.objects.get(name="Family Clinic")
    PriceEntry.objects.create(salon=salon, procedure="cryodestruction", amount_rub=990,
                              source=migration.OLD_DEMO_SOURCE)
    migration.drop_fictional_prices(apps, None)
    assert not PriceEntry.objects.filter(source=migration.OLD_DEMO_SOURCE).exists()
    assert PriceEntry.objects.count() == 26
