"""Statistics, the directory API's filters, sorting and errors."""

from __future__ import annotations

import pytest

from cryoclinic.directory.importer import import_seed_prices
from cryoclinic.directory.models import Review, Salon
from cryoclinic.directory.services import stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(db):
    import_seed_prices()


def test_city_statistics_count_salons_and_give_min_median_max(imported):
    by_city = {s.city.slug: s for s in stats("facial-cryomassage")}
    assert len(by_city) == 10
    krasnodar = by_city["krasnodar"]
    assert (krasnodar.salons, krasnodar.min_rub, krasnodar.median_rub, krasnodar.max_rub) == (3, 500, 935, 1800)
    moscow = by_city["moscow"]  # the Gioconda row waits for review, so two salons
    assert (moscow.salons, moscow.min_rub, moscow.median_rub, moscow.max_rub) == (2, 800, 980, 1160)


def test_api_lists_cities_with_their_salon_counts(client, imported):
    cities = {c["slug"]: c for c in client.get("/api/directory/cities").json()["items"]}
    assert cities["voronezh"] == {"slug": "voronezh", "name_en": "Voronezh", "name_ru": "Воронеж", "salons": 3}


def test_api_filters_by_city_and_sorts_by_price_both_ways(client, imported):
    up = client.get("/api/directory/salons", {"city": "krasnodar", "sort": "price"}).json()["items"]
    assert [s["price_rub"] for s in up] == [500, 935, 1800]
    assert all(isinstance(s["price_rub"], int) for s in up)
    down = client.get("/api/directory/salons", {"city": "krasnodar", "sort": "-price"}).json()["items"]
    assert [s["price_rub"] for s in down] == [1800, 935, 500]


def test_api_sorts_by_approved_rating(client, imported, make_user):
    voronezh = list(Salon.objects.filter(city__slug="voronezh").order_by("pk"))
    for index, (salon, stars) in enumerate(zip(voronezh, [3, 5, 4], strict=True)):
        author = make_user("client", username=f"c{index}")
        Review.objects.create(salon=salon, author=author, stars=stars, status=Review.Status.APPROVED)
    Review.objects.create(salon=voronezh[0], author=make_user("client", username="x"), stars=5)  # pending: not counted
    rows = client.get("/api/directory/salons", {"city": "voronezh", "sort": "rating"}).json()["items"]
    assert [(r["id"], r["rating_average"], r["rating_count"]) for r in rows] == [
        (voronezh[1].pk, 5.0, 1),
        (voronezh[2].pk, 4.0, 1),
        (voronezh[0].pk, 3.0, 1),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"city": "atlantis"}, "city"), ({"sort": "cheapest"}, "sort"), ({"procedure": "botox"}, "procedure")],
)
def test_api_refuses_unknown_city_sort_or_procedure_naming_the_field(client, imported, params, field):
    response = client.get("/api/directory/salons", params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_api_stats_match_the_service(client, imported):
    body = {row["city"]: row for row in client.get("/api/directory/stats").json()["items"]}
    assert body["krasnodar"] == {"city": "krasnodar", "salons": 3, "min_rub": 500, "median_rub": 935.0, "max_rub": 1800,
                                 "price_rows": 3, "sources": ["seed#prices"]}
    assert client.get("/api/directory/stats", {"procedure": "botox"}).status_code == 422
