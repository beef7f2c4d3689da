"""A clinic's admin keeps its price list; the procedures it offers are its entries; bad input changes nothing."""

from __future__ import annotations

import pytest

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.directory import pricelist
from cryoclinic.directory.models import ClinicPrice

pytestmark = pytest.mark.django_db


def test_an_admin_adds_changes_and_removes_a_price(client, users):
    client.force_login(users["admin"])
    assert client.post("/en/staff/prices/", {"procedure": "cryodestruction", "amount_rub": "2500"}).status_code == 302
    client.post("/en/staff/prices/", {"procedure": "cryodestruction", "amount_rub": "2700"})
    assert list(ClinicPrice.objects.values_list("procedure", "amount_rub")) == [("cryodestruction", 2700)]
    page = client.get("/en/staff/prices/").content.decode()
    assert 'data-procedure="cryodestruction"' in page and "2700" in page
    client.post("/en/staff/prices/", {"action": "remove", "procedure": "cryodestruction"})
    assert not ClinicPrice.objects.exists()
    assert list(AuditEvent.objects.filter(action__in=["set_price", "remove_price"]).values_list("action", flat=True)
                .order_by("id")) == ["set_price", "set_price", "remove_price"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"procedure": "botox", "amount_rub": "900"}, "procedure", "Unknown procedure &#x27;botox&#x27;. Known"),
        ({"procedure": "cryodestruction", "amount_rub": "0"}, "amount_rub", "greater than or equal to 1"),
        ({"procedure": "cryodestruction", "amount_rub": "дёшево"}, "amount_rub", "Enter a whole number"),
        ({"procedure": "cryodestruction", "amount_rub": "10000000"}, "amount_rub", "less than or equal to"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client, users, data, field, message):
    client.force_login(users["admin"])
    response = client.post("/en/staff/prices/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert response.context["form"].errors.keys() == {field}
    assert not ClinicPrice.objects.exists()


def test_removing_a_price_that_is_not_listed_is_refused(client, users):
    client.force_login(users["admin"])
    response = client.post("/en/staff/prices/", {"action": "remove", "procedure": "cryodestruction"})
    assert response.status_code == 422 and "no entry for cryodestruction" in response.content.decode()


def test_only_a_clinic_admin_keeps_the_price_list(users):
    for role in ("practitioner", "reception", "client", "platform_admin"):
        with pytest.raises(pricelist.PriceListError, match="Only a clinic's admin"):
            pricelist.set_price("cryodestruction", 100, by=users[role])
    assert not ClinicPrice.objects.exists()


def test_the_admin_form_checks_the_procedure_against_the_knowledge_base(client, users):
    client.force_login(users["admin"])
    response = client.post("/admin/directory/clinicprice/add/", {"procedure": "botox", "amount_rub": "100"},
                           headers={"accept-language": "en"})
    assert response.status_code == 200 and "Unknown procedure" in response.content.decode()
    assert not ClinicPrice.objects.exists()
