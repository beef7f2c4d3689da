"""`GET /api/clinics`: public, the live clinics only, each with its directory salon and the procedures it offers."""

from __future__ import annotations

import pytest

from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.directory.models import ClinicPrice, Salon

pytestmark = pytest.mark.django_db


def test_the_demo_clinics_with_their_salon_and_what_they_offer(client, demo):
    body = client.get("/api/clinics").json()
    by_slug = {c["slug"]: c for c in body["items"]}
    assert body["count"] == 3 and set(by_slug) == {"clinic-a", "snezhinka", "inei"}  # the test's clinic and the demo
    snezhinka = by_slug["snezhinka"]
    salon = Salon.objects.get(clinic__slug="snezhinka")
    assert snezhinka == {"id": snezhinka["id"], "slug": "snezhinka", "name": "Демо-криоклиника «Снежинка»",
                         "city": "Москва", "salon": salon.pk, "procedures": ["facial-cryomassage"]}


def test_only_live_clinics_are_listed_and_a_clinic_without_a_salon_says_null(client, clinic):
    with state.platform():
        Clinic.objects.create(slug="waiting", name="Ждущая", city="Тверь", address="ул. 1", phone="+74820000000")
    ClinicPrice.objects.create(procedure="scalp-darsonvalization", amount_rub=700)
    ClinicPrice.objects.create(procedure="cryodestruction", amount_rub=1700)
    [only] = client.get("/api/clinics").json()["items"]
    assert (only["slug"], only["salon"], only["procedures"]) == ("clinic-a", None, ["cryodestruction",
                                                                                   "scalp-darsonvalization"])


def test_it_pages_like_every_list(client, demo):
    first = client.get("/api/clinics", {"limit": 1}).json()
    second = client.get("/api/clinics", {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 3 and first["items"] != second["items"]
    response = client.get("/api/clinics", {"limit": 0})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "limit"
