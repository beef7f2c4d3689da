"""A client pays a course's deposit through the local YooKassa stand-in; its notification reaches our webhook."""

import datetime as dt
import re

from playwright.sync_api import expect


def test_a_client_pays_the_deposit_of_a_booked_course(page, live_server, make_user, demo, transactional_db, settings,
                                                       link_client):
    from django.utils import timezone

    from cryoclinic.clients.models import Client
    from cryoclinic.clinics.state import current_clinic
    from cryoclinic.payments import services
    from cryoclinic.payments.fake_yookassa import FakeYooKassa
    from cryoclinic.payments.models import Deposit, Notification
    from cryoclinic.scheduling import services as scheduling
    from cryoclinic.scheduling.planning import TimeWindow

    clinic = current_clinic()
    fake = FakeYooKassa()
    fake.add_shop("504030", "test_browser-secret", f"{live_server.url}/payments/yookassa/{clinic.slug}/")
    fake.start()
    settings.YOOKASSA_API_URL = fake.api_url
    try:
        services.save_shop(clinic, shop_id="504030", secret_key="test_browser-secret", vat_code=1)
        services.set_policy("facial-cryomassage", kind="amount", amount_rub=1500, share_percent=None)
        record = Client.objects.order_by("id").first()  # screened and consented by the demo
        link_client(record, make_user("client", username="vera", password="right-pass-2026"))
        today = timezone.localdate()
        evenings = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))
        course = scheduling.book_course(clinic, scheduling.PlanInput(
            client=record, procedure="facial-cryomassage", start=today + dt.timedelta(days=7 - today.weekday()),
            availability=evenings), by=None)

        page.goto("/en/accounts/login/")
        page.get_by_label("Username").fill("vera")
        page.get_by_label("Password").fill("right-pass-2026")
        page.get_by_role("button", name="Log in").click()
        page.goto("/en/account/courses/")
        page.locator(f'[data-course="{course.pk}"]').get_by_test_id("deposit-link").click()
        expect(page.get_by_test_id("deposit-due")).to_have_text("Deposit due: 1500 ₽.")
        page.get_by_test_id("pay-deposit").click()
        expect(page.get_by_test_id("amount")).to_contain_text("1500.00 RUB")
        page.get_by_test_id("pay").click()
        expect(page).to_have_url(re.compile(rf"/en/account/courses/{course.pk}/deposit/return/$"))
        expect(page.get_by_test_id("deposit")).to_have_attribute("data-status", "succeeded")
        expect(page.get_by_test_id("deposit-status")).to_have_text("Deposit of 1500 ₽: paid.")
    finally:
        fake.stop()
    deposit = Deposit.objects.get()
    assert deposit.status == "succeeded" and deposit.payment_id in fake.payments
    assert [status for _event, _id, status in fake.deliveries] == [200, 200]  # the notification and a duplicate
    assert Notification.objects.count() == 1
