"""The clinic admin's deposit settings: the shop (secret write-only), the notice, the deposit per procedure."""

from __future__ import annotations

import pytest

from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.state import current_clinic
from cryoclinic.payments.models import DepositPolicy, Shop
from cryoclinic.payments.secrets import unseal

pytestmark = pytest.mark.django_db
URL = "/en/staff/deposits/"


@pytest.fixture
def admin(client, make_user):
    client.force_login(make_user("admin", username="boss"))
    return client


def test_the_admin_sets_the_shop_and_the_secret_is_never_shown_back(admin):
    data = {"action": "shop", "shop_id": "504030", "secret_key": "live_TopSecret123", "vat_code": "4"}
    response = admin.post(URL, data)
    assert response.status_code == 302
    shop = Shop.objects.get()
    assert (shop.shop_id, unseal(shop.secret_key), shop.vat_code) == ("504030", "live_TopSecret123", 4)
    assert "TopSecret" not in shop.secret_key  # stored sealed
    page = admin.get(URL).content.decode()
    assert "live_TopSecret123" not in page and "Shop 504030 is set" in page
    assert f"/payments/yookassa/{current_clinic().slug}/" in page


def test_an_empty_secret_keeps_the_stored_one(admin):
    admin.post(URL, {"action": "shop", "shop_id": "504030", "secret_key": "live_TopSecret123", "vat_code": "1"})
    admin.post(URL, {"action": "shop", "shop_id": "504031", "secret_key": "", "vat_code": "1"})
    assert (Shop.objects.get().shop_id, unseal(Shop.objects.get().secret_key)) == ("504031", "live_TopSecret123")


@pytest.mark.parametrize(("data", "field"), [
    ({"shop_id": "shop-1", "secret_key": "live_TopSecret123", "vat_code": "1"}, "shop_id"),
    ({"shop_id": "504030", "secret_key": "", "vat_code": "1"}, "secret_key"),
    ({"shop_id": "504030", "secret_key": "short", "vat_code": "1"}, "secret_key"),
    ({"shop_id": "504030", "secret_key": "live_TopSecret123", "vat_code": "11"}, "vat_code"),
])
def test_a_bad_shop_is_refused_naming_the_field_and_nothing_is_stored(admin, data, field):
    response = admin.post(URL, {"action": "shop", **data})
    assert response.status_code == 422
    assert 'has-error">' in response.content.decode() and f'name="{field}"' in response.content.decode()
    assert response.context["forms"]["shop"].errors.keys() == {field}
    assert not Shop.objects.exists()


def test_the_admin_sets_a_deposit_as_an_amount_or_a_share(admin):
    admin.post(URL, {"action": "policy", "procedure": "facial-cryomassage", "kind": "amount", "amount_rub": "1000"})
    admin.post(URL, {"action": "policy", "procedure": "cryodestruction", "kind": "share", "share_percent": "30"})
    assert {(p.procedure, p.kind, p.amount_rub, p.share_percent) for p in DepositPolicy.objects.all()} == {
        ("facial-cryomassage", "amount", 1000, None), ("cryodestruction", "share", None, 30)}
    admin.post(URL, {"action": "remove-policy", "procedure": "cryodestruction"})
    assert DepositPolicy.objects.count() == 1


@pytest.mark.parametrize(("data", "field"), [
    ({"procedure": "facial-cryomassage", "kind": "share", "share_percent": "0"}, "share_percent"),
    ({"procedure": "facial-cryomassage", "kind": "share"}, "share_percent"),
    ({"procedure": "facial-cryomassage", "kind": "amount", "amount_rub": "-5"}, "amount_rub"),
    ({"procedure": "facial-cryomassage", "kind": "amount"}, "amount_rub"),
    ({"procedure": "hair-transplant", "kind": "amount", "amount_rub": "100"}, "procedure"),
    ({"procedure": "facial-cryomassage", "kind": "gift", "amount_rub": "100"}, "kind"),
])
def test_a_bad_deposit_is_refused_naming_the_field(admin, data, field):
    response = admin.post(URL, {"action": "policy", **data})
    assert response.status_code == 422
    assert field in response.context["forms"]["policy"].errors
    assert not DepositPolicy.objects.exists()


def test_the_admin_sets_the_cancellation_notice(admin):
    assert admin.post(URL, {"action": "notice", "cancel_notice_hours": "48"}).status_code == 302
    assert Clinic.objects.get(pk=current_clinic().pk).cancel_notice_hours == 48
    bad = admin.post(URL, {"action": "notice", "cancel_notice_hours": "9999"})
    assert bad.status_code == 422 and "cancel_notice_hours" in bad.context["forms"]["notice"].errors
    assert Clinic.objects.get(pk=current_clinic().pk).cancel_notice_hours == 48


def test_the_database_refuses_a_deposit_both_amount_and_share(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DepositPolicy.objects.create(procedure="facial-cryomassage", kind="amount", amount_rub=100, share_percent=5)


def test_the_settings_page_speaks_russian(admin):
    page = admin.get("/ru/staff/deposits/").content.decode()
    assert "Магазин ЮKassa" in page and "Правила отмены" in page


def test_a_key_sealed_under_a_retired_secret_key_asks_to_be_entered_again(settings):
    from cryoclinic.payments import gateway, services

    shop = services.save_shop(current_clinic(), shop_id="504030", secret_key="live_TopSecret123", vat_code=1)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-site-0123456789"
    assert unseal(shop.secret_key) == "live_TopSecret123"  # the old key is still a fallback
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(gateway.GatewayError, match="enter it again"):
        gateway.find_payment(shop, "2c5a1a3e-000f-5000-8000-1d0000000000")
