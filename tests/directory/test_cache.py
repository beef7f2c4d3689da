"""The directory's answers are cached (`cryoclinic.caching`), and every write that changes one is seen at once.

Each test runs on local memory and on Redis (the production cache with REDIS_URL), so a stale answer fails on both.
"""

from __future__ import annotations

import os

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory

from cryoclinic import caching
from cryoclinic.clinics import approvals, state
from cryoclinic.clinics.models import Clinic
from cryoclinic.directory import claims, services
from cryoclinic.directory.importer import import_seed_prices
from cryoclinic.directory.models import City, ClinicPrice, PriceEntry, Review, Salon, SalonClaim
from cryoclinic.directory.names import SalonNames

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"
LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cache-test"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}


@pytest.fixture(autouse=True, params=["local memory", "redis"])
def backend(request, settings):
    settings.CACHES = REDIS if request.param == "redis" else LOCAL
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError as exc:
            if os.environ.get("CI"):
                pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); CI needs it")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}: start it to run the Redis cache tests")
    cache.clear()
    yield request.param
    cache.clear()


def _prices(**filters: str) -> dict[int, int | None]:
    return {r.salon.pk: r.price_rub for r in services.search(procedure="facial-cryomassage", **filters)}


def test_a_repeated_search_is_answered_without_the_database(tais, django_assert_num_queries):
    first = _prices(city="yaroslavl")
    services.stats("facial-cryomassage")
    services.live_prices("facial-cryomassage", "yaroslavl")
    with django_assert_num_queries(0):
        assert _prices(city="yaroslavl") == first
        services.stats("facial-cryomassage")  # the statistics and live prices are cached too, once read
        services.live_prices("facial-cryomassage", "yaroslavl")


def test_a_changed_price_list_shows_at_once(tais, open_clinic):
    Salon.objects.filter(pk=tais.pk).update(clinic=open_clinic)  # as an approved claim leaves it (see below)
    caching.invalidate(caching.DIRECTORY)
    assert _prices(city="yaroslavl")[tais.pk] == 1500
    price = ClinicPrice.objects.get(procedure="facial-cryomassage")
    price.amount_rub = 1700
    price.save()
    assert _prices(city="yaroslavl")[tais.pk] == 1700
    price.delete()
    assert tais.pk not in _prices(city="yaroslavl")  # a live salon is found for what its price list offers


def test_an_approved_claim_puts_the_salon_on_the_platform_at_once(tais, open_clinic, make_user):
    assert not next(r for r in services.search(city="yaroslavl") if r.salon.pk == tais.pk).live
    admin_user = make_user("admin", username="claimer")
    claim = claims.claim_salon(tais, by=admin_user, names=SalonNames("Таис", "Tais", "ул. Чкалова, 32А", "32A"))
    claims.approve_claim(claim, by=make_user("platform_admin", username="platform"))
    assert SalonClaim.objects.get().status == SalonClaim.Status.APPROVED
    row = next(r for r in services.search(city="yaroslavl") if r.salon.pk == tais.pk)
    assert row.live and row.price_rub == 1500 and row.salon.name_en == "Tais"


def test_an_approved_review_counts_at_once_whichever_way_it_is_approved(tais, users, make_user):
    def rating() -> tuple[int, float | None]:
        row = next(r for r in services.search(city="yaroslavl") if r.salon.pk == tais.pk)
        return row.rating_count, row.rating_average

    review = Review.objects.create(salon=tais, author=users["client"], stars=4)
    assert rating() == (0, None)
    review.status = Review.Status.APPROVED
    review.save()
    assert rating() == (1, 4.0)
    other = Review.objects.create(salon=tais, author=make_user("client", username="second"), stars=2)
    request = RequestFactory().post("/admin/")
    request.user = make_user("platform_admin", username="moderator")
    admin.site._registry[Review].approve(request, Review.objects.filter(pk=other.pk))  # a queryset update
    assert rating() == (2, 3.0)
    third = Review.objects.create(salon=tais, author=make_user("client", username="third"), stars=1)
    admin.site._registry[Review].reject(request, Review.objects.filter(pk=third.pk))
    assert rating() == (2, 3.0)
    last = Review.objects.create(salon=tais, author=make_user("client", username="last"), stars=5)
    services.moderate_review(last, "approve", by=request.user)  # the platform's moderation page
    assert rating() == (3, 11 / 3)


def test_a_new_cited_price_changes_the_statistics_at_once(seed):
    before = {s.city.slug: s for s in services.stats("facial-cryomassage")}["yaroslavl"]
    salon = Salon.objects.filter(city__slug="yaroslavl").first()
    PriceEntry.objects.create(salon=salon, procedure="facial-cryomassage", amount_rub=100,
                              source="https://example.org/a-price-list")
    after = {s.city.slug: s for s in services.stats("facial-cryomassage")}["yaroslavl"]
    assert after.min_rub == 100 and after.price_rows == before.price_rows + 1


def test_a_new_city_and_salon_show_at_once(seed):
    assert "kaluga" not in {r.salon.city.slug for r in services.search()}
    city = City.objects.create(slug="kaluga", name_en="Kaluga", name_ru="Калуга")
    Salon.objects.create(city=city, name="Иней", address="ул. Советская, 1")
    assert "kaluga" in {r.salon.city.slug for r in services.search()}


def test_a_clinic_approved_by_the_platform_goes_live_at_once(tais, open_clinic, users):
    with state.platform():
        Clinic.objects.filter(pk=open_clinic.pk).update(status=Clinic.Status.PENDING)
    Salon.objects.filter(pk=tais.pk).update(clinic=open_clinic)
    caching.invalidate(caching.DIRECTORY)
    assert tais.pk not in {r.salon.pk for r in services.live_prices("facial-cryomassage")}
    with state.platform():
        approvals.approve_clinic(Clinic.objects.get(pk=open_clinic.pk), by=users["platform_admin"])
    assert tais.pk in {r.salon.pk for r in services.live_prices("facial-cryomassage")}


def test_a_reader_between_a_write_and_its_commit_leaves_no_stale_answer(seed, django_capture_on_commit_callbacks):
    salon = Salon.objects.filter(city__slug="yaroslavl").first()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        PriceEntry.objects.create(salon=salon, procedure="facial-cryomassage", amount_rub=100,
                              source="https://example.org/a-price-list")
        # another request reads before the commit, and caches what it saw then
        caching.cached(caching.DIRECTORY, "stats:facial-cryomassage", lambda: ["the state before the write"])
    assert {s.city.slug: s for s in services.stats("facial-cryomassage")}["yaroslavl"].min_rub == 100


def test_a_new_knowledge_data_version_never_reads_an_answer_cached_under_the_old_one(monkeypatch):
    assert caching.cached(caching.DIRECTORY, "k", lambda: "old data") == "old data"
    assert caching.cached(caching.DIRECTORY, "k", lambda: "recomputed") == "old data"
    monkeypatch.setattr(caching, "data_version", lambda: "facial-cryomassage@next")
    assert caching.cached(caching.DIRECTORY, "k", lambda: "new data") == "new data"


def test_a_lost_generation_never_brings_back_an_old_answer():
    caching.cached(caching.DIRECTORY, "k", lambda: "first")
    caching.invalidate(caching.DIRECTORY)
    caching.cached(caching.DIRECTORY, "k", lambda: "second")
    cache.delete("cryoclinic:directory:generation")  # evicted
    assert caching.cached(caching.DIRECTORY, "k", lambda: "third") == "third"


def test_the_seed_import_refreshes_the_directory():
    assert services.search() == []
    import_seed_prices()
    assert len(services.search()) > 0
