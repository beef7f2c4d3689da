"""A paid deposit comes back when the course is cancelled within the clinic's notice, and only then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.state import current_clinic
from cryoclinic.payments import services
from cryoclinic.payments.models import Deposit
from cryoclinic.scheduling import services as scheduling
from cryoclinic.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(world, fake):
    deposit = services.start_payment(world.course, by=world.user, return_url="http://testserver/back/")
    payment = fake.pay(deposit.payment_id)["object"]
    services.apply_payment(deposit, payment)
    assert deposit.status == "succeeded"
    return deposit


def test_a_course_cancelled_within_the_notice_gets_its_deposit_back(world, fake, paid,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.cancel_course(world.course, reason="moving away", by=None)
    paid.refresh_from_db()
    assert paid.status == "refunded" and paid.refunded_at is not None
    [refund] = fake.refunds.values()
    assert refund["payment_id"] == paid.payment_id and refund["amount"] == {"value": "1500.00", "currency": "RUB"}
    assert ("POST", "/v3/refunds", str(paid.refund_idempotence_key)) in fake.requests


def test_a_course_cancelled_past_the_notice_keeps_its_deposit(world, fake, paid, django_capture_on_commit_callbacks):
    Clinic.objects.filter(pk=current_clinic().pk).update(cancel_notice_hours=720)  # 30 days: every session is late
    world.course.clinic.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.cancel_course(world.course, reason="changed my mind", by=None)
    paid.refresh_from_db()
    assert paid.status == "succeeded" and fake.refunds == {}


def test_cancelling_the_last_booked_session_in_time_refunds(world, fake, paid, django_capture_on_commit_callbacks):
    sessions = list(world.course.appointments.order_by("starts_at"))
    Appointment.objects.filter(pk__in=[a.pk for a in sessions[:-1]]).update(status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.change_appointment(sessions[-1], status="cancelled")
    paid.refresh_from_db()
    assert paid.status == "refunded" and len(fake.refunds) == 1


def test_cancelling_one_session_of_many_keeps_the_deposit(world, fake, paid, django_capture_on_commit_callbacks):
    first = world.course.appointments.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.change_appointment(first, status="cancelled")
    paid.refresh_from_db()
    assert paid.status == "succeeded" and fake.refunds == {}


def test_an_unpaid_deposit_is_never_refunded(world, fake, django_capture_on_commit_callbacks):
    deposit = services.start_payment(world.course, by=world.user, return_url="http://testserver/back/")
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.cancel_course(world.course, reason="moving away", by=None)
    deposit.refresh_from_db()
    assert deposit.status == "pending" and fake.refunds == {}


def test_a_refund_the_service_did_not_take_waits_and_is_sent_again_once(world, fake, paid, settings,
                                                                          django_capture_on_commit_callbacks):
    api_url = settings.YOOKASSA_API_URL
    settings.YOOKASSA_API_URL = "http://127.0.0.1:9/v3"
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.cancel_course(world.course, reason="moving away", by=None)
    paid.refresh_from_db()
    assert paid.status == "refund_pending" and "could not be reached" in paid.last_error
    settings.YOOKASSA_API_URL = api_url
    services.send_refund(paid)
    services.send_refund(paid)  # a second try is a no-op: it is refunded
    assert paid.status == "refunded" and len(fake.refunds) == 1


def test_a_refund_notification_is_verified_and_processed_once(client, world, fake, paid):
    Deposit.objects.filter(pk=paid.pk).update(status="refund_pending", refund_idempotence_key=paid.idempotence_key)
    shop = services.shop_of(current_clinic())
    refund = fake.create_refund(shop.shop_id, {"payment_id": paid.payment_id,
                                               "amount": {"value": "1500.00", "currency": "RUB"}})
    Deposit.objects.filter(pk=paid.pk).update(refund_id=refund["id"])
    notification = {"type": "notification", "event": "refund.succeeded", "object": refund}
    url = f"/payments/yookassa/{current_clinic().slug}/"
    outcomes = [client.post(url, notification, content_type="application/json").json() for _ in range(2)]
    assert outcomes == [{"outcome": "processed"}, {"outcome": "duplicate"}]
    assert Deposit.objects.get(pk=paid.pk).status == "refunded"


def test_the_deposit_page_says_the_refund_rule_with_the_clinic_s_notice(client, world, paid):
    client.force_login(world.user)
    page = client.get(f"/en/account/courses/{world.course.pk}/deposit/").content.decode()
    assert "Deposit of 1500 ₽: paid." in page
    assert "Cancelled at least 24 hours before its sessions, the course gets its deposit back." in page


def test_a_session_long_ago_is_outside_any_notice(world):
    """The notice is measured from the session's start (the booking's `within_notice`)."""
    soon = world.course.appointments.order_by("starts_at").first()
    soon.starts_at = timezone.now() + dt.timedelta(hours=2)
    assert scheduling.within_notice(soon) is False


def test_a_deposit_paid_after_its_course_was_cancelled_is_refunded(world, fake, django_capture_on_commit_callbacks):
    deposit = services.start_payment(world.course, by=world.user, return_url="http://testserver/back/")
    scheduling.cancel_course(world.course, reason="moving away", by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_payment(deposit, fake.pay(deposit.payment_id)["object"])
    deposit.refresh_from_db()
    assert deposit.status == "refunded" and len(fake.refunds) == 1


def test_the_command_sends_pending_refunds_again_once(world, fake, paid, settings,
                                                     django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    api_url, settings.YOOKASSA_API_URL = settings.YOOKASSA_API_URL, "http://127.0.0.1:9/v3"
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.cancel_course(world.course, reason="moving away", by=None)
    settings.YOOKASSA_API_URL = api_url
    out = StringIO()
    call_command("send_refunds", current_clinic().slug, stdout=out)
    call_command("send_refunds", current_clinic().slug, stdout=out)
    assert f"deposit {paid.pk}: refunded" in out.getvalue() and len(fake.refunds) == 1
