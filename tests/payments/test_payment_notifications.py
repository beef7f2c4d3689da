"""YooKassa's notifications: verified by fetching the payment from the API, processed exactly once."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from cryoclinic.clinics import state
from cryoclinic.payments import services
from cryoclinic.payments.models import Deposit, Notification

pytestmark = pytest.mark.django_db


def _post(client, clinic_slug: str, body) -> object:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"/payments/yookassa/{clinic_slug}/", data=data, content_type="application/json")


def _started(world):
    return services.start_payment(world.course, by=world.user, return_url="http://testserver/back/")


def test_a_genuine_notification_marks_the_deposit_paid(client, world, fake):
    deposit = _started(world)
    response = _post(client, world.course.clinic.slug, fake.pay(deposit.payment_id))
    assert response.status_code == 200 and response.json() == {"outcome": "processed"}
    deposit.refresh_from_db()
    assert deposit.status == "succeeded" and deposit.paid_at is not None


def test_retries_and_duplicates_are_processed_once(client, world, fake):
    deposit = _started(world)
    notification = fake.pay(deposit.payment_id)
    outcomes = [_post(client, world.course.clinic.slug, notification).json()["outcome"] for _ in range(4)]
    assert outcomes == ["processed", "duplicate", "duplicate", "duplicate"]
    assert Notification.objects.count() == 1
    paid_at = Deposit.objects.get().paid_at
    _post(client, world.course.clinic.slug, notification)
    assert Deposit.objects.get().paid_at == paid_at


def test_a_forged_success_for_an_unpaid_payment_changes_nothing(client, world, fake):
    deposit = _started(world)
    forged = {"type": "notification", "event": "payment.succeeded",
              "object": {**fake.payments[deposit.payment_id], "status": "succeeded", "paid": True}}
    response = _post(client, world.course.clinic.slug, forged)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "event"
    assert Deposit.objects.get().status == "pending" and Notification.objects.count() == 0


def test_a_notification_for_a_payment_we_never_made_is_refused(client, world, fake):
    _started(world)
    forged = {"type": "notification", "event": "payment.succeeded",
              "object": {"id": "2c5a1a3e-000f-5000-8000-1d0000000000", "status": "succeeded", "paid": True,
                         "amount": {"value": "1500.00", "currency": "RUB"}}}
    response = _post(client, world.course.clinic.slug, forged)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "object.id"
    assert Deposit.objects.get().status == "pending"


def test_a_notification_claiming_another_booking_is_refused(client, world, fake):
    """The payment of deposit A, presented as the payment of deposit B (another course): neither changes."""
    deposit = _started(world)
    other = Deposit.objects.create(course=world.course, amount_rub=1500, status="canceled")
    notification = fake.pay(deposit.payment_id)
    notification["object"]["metadata"] = {"deposit": str(other.pk), "course": "999"}
    response = _post(client, world.course.clinic.slug, notification)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "object.metadata.deposit"
    assert {d.pk: d.status for d in Deposit.objects.all()} == {deposit.pk: "pending", other.pk: "canceled"}


def test_a_notification_with_another_amount_is_refused(client, world, fake):
    deposit = _started(world)
    notification = fake.pay(deposit.payment_id)
    notification["object"]["amount"] = {"value": "1.00", "currency": "RUB"}
    response = _post(client, world.course.clinic.slug, notification)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "object.amount"
    assert Deposit.objects.get().status == "pending"


@pytest.mark.parametrize(("body", "field"), [
    ("not json", "body"),
    ({"event": "payment.succeeded"}, "type"),
    ({"type": "notification", "event": "payment.exploded", "object": {"id": "x"}}, "event"),
    ({"type": "notification", "event": "payment.succeeded", "object": {}}, "object.id"),
    ([1, 2], "type"),
])
def test_malformed_notifications_are_a_422_naming_the_field(client, world, body, field):
    response = _post(client, world.course.clinic.slug, body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_another_clinic_s_webhook_does_not_know_the_payment(client, world, fake, other_clinic):
    """Clinic B has a shop too; A's payment sent to B's webhook is not B's, and A's deposit stays as it was."""
    deposit = _started(world)
    with state.activate(other_clinic):
        services.save_shop(other_clinic, shop_id="700001", secret_key="test_b-secret-key", vat_code=1)
    fake.add_shop("700001", "test_b-secret-key")
    response = _post(client, other_clinic.slug, fake.pay(deposit.payment_id))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "object.id"
    assert Deposit.objects.get().status == "pending"


def test_an_unknown_clinic_is_a_404(client, world):
    assert _post(client, "no-such-clinic", {"type": "notification"}).status_code == 404


def test_the_webhook_takes_only_post(client, world):
    assert client.get(f"/payments/yookassa/{world.course.clinic.slug}/").status_code == 405


def test_a_canceled_payment_frees_the_course_for_another_attempt(client, world, fake):
    deposit = _started(world)
    assert _post(client, world.course.clinic.slug, fake.cancel(deposit.payment_id)).status_code == 200
    assert Deposit.objects.get(pk=deposit.pk).status == "canceled"
    again = _started(world)
    assert again.pk != deposit.pk and again.payment_id != deposit.payment_id


def test_the_ip_check_refuses_addresses_outside_yookassa_s_ranges(client, world, fake, settings):
    settings.YOOKASSA_CHECK_IP = True
    deposit = _started(world)
    response = _post(client, world.course.clinic.slug, fake.pay(deposit.payment_id))  # from 127.0.0.1
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ip"
    assert Deposit.objects.get().status == "pending"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_duplicates_are_processed_once(world, fake):
    """Four copies at once, each in its own connection: the row lock and the unique row let one through."""
    deposit = _started(world)
    notification = fake.pay(deposit.payment_id)
    clinic = world.course.clinic
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def deliver() -> None:
        with state.activate(clinic):
            barrier.wait()
            outcomes.append(services.process_notification(clinic, notification))
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "processed"]
    assert Notification.objects.count() == 1 and Deposit.objects.get().status == "succeeded"
