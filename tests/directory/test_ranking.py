"""The readings of an ambiguous row are ranked by how usual each price is in its table; staff confirm the
proposal with one click."""

from __future__ import annotations

import pytest

from cryoclinic.directory.importer import SEED_PRICES
from cryoclinic.directory.models import PendingRow, Salon
from cryoclinic.directory.parsing import Reading, parse_text, rank_readings


def _seed_table():
    return parse_text(SEED_PRICES.read_text(encoding="utf-8"))


def test_each_of_the_sources_four_rows_proposes_the_reading_with_a_usual_price():
    table = _seed_table()
    reference = table.certain_prices()
    proposals = {
        row.name: rank_readings(row.readings, reference)[0].reading for row in table.rows if row.ambiguous
    }
    assert proposals == {
        'Beauty and health club "Gioconda"': Reading("Khvalynsky Boulevard, 2", 850),
        "Medical": Reading("Lenin Avenue, 72", 650),
        "Cosmetology clinic “WHITE Beauty Clinic”": Reading("Zarechny Boulevard, 4", 550),
        'Beauty salon "Beauty Academy"': Reading("Pobedy Avenue, 27", 500),
    }


def test_every_proposal_lies_within_the_tables_range_and_every_other_reading_far_outside():
    table = _seed_table()
    reference = table.certain_prices()
    for row in (r for r in table.rows if r.ambiguous):
        first, *others = rank_readings(row.readings, reference)
        assert min(reference) <= first.reading.price_rub <= max(reference)
        assert first.robust_z is not None and first.robust_z < 2
        assert all(o.robust_z is not None and o.robust_z > 4 for o in others)


def test_the_ranking_is_in_log_price_and_robust_to_an_outlier_in_the_table():
    reference = [400, 500, 600, 700, 100_000]  # one wild price does not move the median or the MAD
    ranked = rank_readings([Reading("a, 1", 60), Reading("a, 1", 5000), Reading("a, 16", 550)], reference)
    # 5 000 ₽ is 4 400 ₽ off the median of 600 ₽ and 60 ₽ only 540 ₽, but 5 000 is the smaller factor (8.3 vs 10)
    assert [r.reading.price_rub for r in ranked] == [550, 5000, 60]


def test_too_few_certain_prices_leave_the_readings_unranked():
    ranked = rank_readings([Reading("a, 2", 850), Reading("a, 28", 50)], [700, 800])
    assert [(r.reading.price_rub, r.robust_z) for r in ranked] == [(850, None), (50, None)]


@pytest.mark.django_db
def test_pending_rows_store_the_ranking_with_the_proposal_first(seed):
    for row in PendingRow.objects.all():
        zs = [c["robust_z"] for c in row.candidates]
        assert zs == sorted(zs)
    gioconda = PendingRow.objects.get(name='Beauty and health club "Gioconda"')
    assert gioconda.candidates[0] == {"address": "Khvalynsky Boulevard, 2", "price_rub": 850, "robust_z": 1.218}


@pytest.mark.django_db
def test_the_migration_ranks_rows_already_waiting(seed):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cryoclinic.directory.migrations.0006_cited_prices_only_ranked_rows")
    row = PendingRow.objects.get(name="Medical")
    PendingRow.objects.filter(pk=row.pk).update(
        candidates=[{"address": c["address"], "price_rub": c["price_rub"]} for c in reversed(row.candidates)]
    )
    migration.rank_pending_rows(apps, None)
    row.refresh_from_db()
    assert [c["price_rub"] for c in row.candidates] == [650, 2650, 50]


@pytest.mark.django_db
def test_the_platform_admin_confirms_the_proposal_with_one_click(client, users, seed):
    row = PendingRow.objects.get(name="Cosmetology clinic “WHITE Beauty Clinic”")
    client.force_login(users["platform_admin"])
    page = client.get("/en/platform/directory/").content.decode()
    assert 'data-testid="proposal">Zarechny Boulevard, 4 — 550 ₽' in page
    response = client.post(f"/en/platform/directory/rows/{row.pk}/confirm/", follow=True)
    assert "Confirmed: Zarechny Boulevard, 4." in response.content.decode()
    salon = Salon.objects.get(name="Cosmetology clinic “WHITE Beauty Clinic”")
    assert (salon.address_ru, salon.prices.get().amount_rub) == ("Заречный бульвар, 4", 550)
    again = client.post(f"/en/platform/directory/rows/{row.pk}/confirm/")
    assert again.status_code == 422 and "already confirmed" in again.content.decode()
    bad = client.post(f"/en/platform/directory/rows/{PendingRow.objects.get(name='Medical').pk}/confirm/",
                      {"choice": "x"})
    assert bad.status_code == 422 and "between 1 and 3" in bad.content.decode()
