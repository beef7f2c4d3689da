"""A salon on the platform shows its clinic's live price list, what it offers and its next free time; a listing is
marked as one, with its source named."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.directory.models import ClinicPrice, Salon
from cryoclinic.scheduling.availability import next_free_start
from cryoclinic.scheduling.models import Absence, Practitioner

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def run_tais(tais, open_clinic) -> Salon:
    """The clinic runs the Tais salon (as after an approved claim)."""
    Salon.objects.filter(pk=tais.pk).update(clinic=open_clinic)
    tais.refresh_from_db()
    return tais


def _monday_in_a_week() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday() + 7)


def test_the_salon_page_shows_the_live_price_list_what_is_offered_and_the_next_free_time(client, run_tais):
    page = client.get(f"/en/directory/salons/{run_tais.pk}/").content.decode()
    assert "live price of the clinic" in page
    assert re.search(r'data-testid="live-price">1500 ₽', page)
    assert re.search(r'data-testid="procedures-offered">Procedures offered: Facial cryomassage', page)
    assert re.search(r'data-testid="next-free">\w{3} \d\d\.\d\d\.\d{4} \d\d:\d\d<', page)
    assert "Prices cited from the source" in page  # the source's 300 ₽ stays, marked as not current


def test_the_list_shows_the_live_price_marked_and_listings_marked_as_such(client, run_tais):
    page = client.get("/en/directory/", {"city": "yaroslavl"}).content.decode()
    row = re.search(rf'<tr data-salon="{run_tais.pk}" data-price="(\d+)" data-kind="(\w+)">(.*?)</tr>', page, re.S)
    assert row is not None and row.group(1, 2) == ("1500", "live")
    assert "live price of the clinic" in row.group(3) and 'data-testid="next-free"' in row.group(3)
    listings = re.findall(r'data-kind="listing">(.*?)</tr>', page, re.S)
    assert len(listings) == 2 and all("listing from the source" in cells for cells in listings)


def test_a_listing_names_its_source(client, seed):
    salon = Salon.objects.get(name='Clinic "Cosmet"')
    page = client.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert "Listing from the source: the source article, section “Cost of services in salons”." in page
    assert "live price of the clinic" not in page


def test_a_salon_of_a_suspended_clinic_is_no_longer_shown_live(client, run_tais, open_clinic):
    with state.platform():
        Clinic.objects.filter(pk=open_clinic.pk).update(status=Clinic.Status.SUSPENDED)
    page = client.get(f"/en/directory/salons/{run_tais.pk}/").content.decode()
    assert "live price of the clinic" not in page and "1500" not in page


def test_searching_a_procedure_finds_a_live_salon_only_for_what_its_price_list_offers(client, run_tais):
    def ids(procedure: str) -> set[int]:
        body = client.get("/api/directory/salons", {"city": "yaroslavl", "procedure": procedure}).json()
        return {s["id"] for s in body["items"]}

    assert run_tais.pk in ids("facial-cryomassage")
    assert run_tais.pk not in ids("cryodestruction")
    ClinicPrice.objects.create(procedure="cryodestruction", amount_rub=2500)
    assert run_tais.pk in ids("cryodestruction")


def test_the_api_gives_the_live_price_and_both_languages(client, run_tais):
    rows = {s["id"]: s for s in client.get("/api/directory/salons", {"city": "yaroslavl"}).json()["items"]}
    live = rows[run_tais.pk]
    assert (live["on_platform"], live["price_kind"], live["price_rub"]) == (True, "live", 1500)
    assert live["clinic"] == "clinic-a"
    assert live["procedures"] == ["facial-cryomassage"] and live["sources"] == []
    listing = next(s for s in rows.values() if s["name_en"] == '"Clinic of Doctor Krotov"')
    assert (listing["on_platform"], listing["price_kind"], listing["sources"]) == (False, "cited", ["seed#prices"])
    assert (listing["name_ru"], listing["address_ru"]) == ("«Клиника доктора Кротова»", "ул. Большая Фёдоровская, 29/1")


def test_the_next_free_time_is_the_first_free_slot_after_now(open_clinic):
    monday = _monday_in_a_week()
    now = dt.datetime.combine(monday, dt.time(10, 7), tzinfo=MOSCOW)
    assert next_free_start(open_clinic, "facial-cryomassage", now=now) == now.replace(minute=15)


def test_the_next_free_time_skips_an_absence_and_the_day_of_rest(open_clinic):
    monday = _monday_in_a_week()
    saturday_evening = dt.datetime.combine(monday - dt.timedelta(days=2), dt.time(20, 50), tzinfo=MOSCOW)
    # Saturday's last session would end after closing; Sunday is closed; the practitioner is away on Monday.
    Absence.objects.create(
        practitioner=Practitioner.objects.get(),
        starts_at=dt.datetime.combine(monday, dt.time(0), tzinfo=MOSCOW),
        ends_at=dt.datetime.combine(monday, dt.time(23, 59), tzinfo=MOSCOW),
    )
    found = next_free_start(open_clinic, "facial-cryomassage", now=saturday_evening)
    assert found == dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(9), tzinfo=MOSCOW)


def test_no_next_free_time_without_anyone_to_perform_the_procedure(open_clinic):
    Practitioner.objects.update(procedures=["facial-cryomassage"])
    assert next_free_start(open_clinic, "cryodestruction") is None


def test_a_request_to_a_live_salon_is_for_what_it_offers(client, run_tais):
    page = client.get(f"/en/directory/salons/{run_tais.pk}/").content.decode()
    form = page[page.index('data-testid="request-form"'):]
    assert 'value="facial-cryomassage"' in form and 'value="cryodestruction"' not in form
    response = client.post(f"/en/directory/salons/{run_tais.pk}/request/",
                           {"procedure": "cryodestruction", "name": "Вера", "phone": "+79123456789"})
    assert response.status_code == 422 and "does not offer this procedure" in response.content.decode()
