"""Taking a course's deposit through YooKassa (the local stand-in): the page, the payment, the 54-FZ receipt."""

from __future__ import annotations

import pytest
from django.utils import translation

from cryoclinic.clinics.state import current_clinic
from cryoclinic.payments import gateway, services
from cryoclinic.payments.models import Deposit, Shop

pytestmark = pytest.mark.django_db


def _url(world, lang: str = "en", suffix: str = "") -> str:
    return f"/{lang}/account/courses/{world.course.pk}/deposit/{suffix}"


def test_the_page_shows_the_deposit_due(client, world):
    client.force_login(world.user)
    response = client.get(_url(world))
    assert response.status_code == 200
    assert "Deposit due: 1500 ₽." in response.content.decode()


def test_paying_sends_the_client_to_yookassa_with_an_idempotence_key_and_the_receipt(client, world, fake):
    client.force_login(world.user)
    response = client.post(_url(world))
    deposit = Deposit.objects.get()
    assert response.status_code == 302 and response["Location"] == deposit.confirmation_url
    assert deposit.status == "pending" and deposit.amount_rub == 1500
    payment = fake.payments[deposit.payment_id]
    assert payment["amount"] == {"value": "1500.00", "currency": "RUB"}
    assert payment["metadata"]["deposit"] == str(deposit.pk)
    assert payment["confirmation"]["return_url"].endswith(f"/en/account/courses/{world.course.pk}/deposit/return/")
    assert fake.requests == [("POST", "/v3/payments", str(deposit.idempotence_key))]


def test_the_receipt_carries_the_customer_and_a_service_item_with_vat_and_mode(world, fake, settings):
    seen = {}
    original = fake.create_payment

    def keep(shop, body):
        seen.update(body)
        return original(shop, body)

    fake.create_payment = keep
    services.start_payment(world.course, by=world.user, return_url="http://testserver/back/")
    receipt = seen["receipt"]
    assert receipt["customer"].get("email") or receipt["customer"].get("phone")
    assert receipt["customer"]["full_name"] == world.client.full_name
    [item] = receipt["items"]
    assert item["vat_code"] == 1 and item["payment_subject"] == "service"
    assert item["payment_mode"] == "partial_prepayment"  # 1 500 ₽ of a course priced higher
    assert item["amount"] == {"value": "1500.00", "currency": "RUB"} and float(item["quantity"]) == 1


def test_asking_twice_gives_the_same_payment(client, world, fake):
    client.force_login(world.user)
    first = client.post(_url(world))["Location"]
    second = client.post(_url(world))["Location"]
    assert first == second and len(fake.payments) == 1 and Deposit.objects.count() == 1


def test_the_same_idempotence_key_makes_no_second_payment(world, fake):
    deposit = Deposit.objects.create(course=world.course, amount_rub=1500)
    body = {"amount": {"value": "1500.00", "currency": "RUB"}, "capture": True,
            "confirmation": {"type": "redirect", "return_url": "http://testserver/"}, "metadata": {"deposit": "1"}}
    shop = Shop.objects.get()
    one = gateway.create_payment(shop, body, deposit.idempotence_key)
    two = gateway.create_payment(shop, body, deposit.idempotence_key)
    assert one["id"] == two["id"] and len(fake.payments) == 1
    with pytest.raises(gateway.GatewayError, match="refused"):
        gateway.create_payment(shop, {**body, "description": "other"}, deposit.idempotence_key)


def test_a_clinic_without_a_shop_takes_no_online_deposit_and_says_so(client, world, fake):
    services.remove_shop(current_clinic())
    client.force_login(world.user)
    page = client.get(_url(world)).content.decode()
    assert "This clinic takes no online deposit" in page and 'data-testid="pay-deposit"' not in page
    response = client.post(_url(world))
    assert response.status_code == 422
    assert Deposit.objects.count() == 0 and fake.payments == {} and fake.requests == []


def test_no_policy_for_the_procedure_means_no_deposit(client, world, fake):
    services.remove_policy("facial-cryomassage")
    client.force_login(world.user)
    assert client.post(_url(world)).status_code == 422
    assert Deposit.objects.count() == 0 and fake.requests == []


def test_a_share_of_the_price_is_computed_from_the_course_s_sessions(world):
    services.set_policy("facial-cryomassage", kind="share", amount_rub=None, share_percent=10)
    price = services.course_price_rub(world.course)
    assert price == sum(a.price_rub for a in world.course.appointments.all())
    assert services.deposit_due(world.course).amount_rub == price * 10 // 100


def test_another_client_s_course_is_not_found(client, world, make_user):
    other = make_user("client", username="someone-else")
    client.force_login(other)
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world)).status_code == 404
    assert Deposit.objects.count() == 0


def test_the_service_being_down_charges_nothing_and_says_so(client, world, settings):
    settings.YOOKASSA_API_URL = "http://127.0.0.1:9/v3"  # nothing listens on the discard port
    client.force_login(world.user)
    response = client.post(_url(world))
    assert response.status_code == 502
    assert "nothing was charged" in response.content.decode()
    assert Deposit.objects.get().status == "pending"  # a retry reuses it and its key


def test_the_return_page_asks_yookassa_and_shows_the_payment(client, world, fake):
    client.force_login(world.user)
    client.post(_url(world))
    deposit = Deposit.objects.get()
    fake.pay(deposit.payment_id)  # paid; the notification has not come yet
    response = client.get(_url(world, suffix="return/"))
    assert 'data-status="succeeded"' in response.content.decode()
    assert Deposit.objects.get().status == "succeeded"


def test_the_page_speaks_russian(client, world):
    client.force_login(world.user)
    with translation.override("ru"):
        page = client.get(_url(world, "ru")).content.decode()
    assert "Предоплата к оплате: 1500 ₽." in page
