"""The client's side end to end, in Chromium: a newcomer signs up with their email and confirms it, self-checks,
finds a clinic in their city, books a course online (questionnaire, consent signed with a one-time code, the
planner's ten sessions) and pays the deposit against the local YooKassa stand-in; moves one session; and after a
done session leaves a review, which the directory shows once the platform admin has approved it. Each step's time
is printed (`pytest -s`): the closing note of the issue quotes them."""

from __future__ import annotations

import datetime as dt
import re
import time

from playwright.sync_api import expect

PASSWORD = "frost-and-sun-2026"
EMAIL = "vera.novikova@example.org"
MASSAGE = "facial-cryomassage"


class Stopwatch:
    def __init__(self) -> None:
        self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append((name, now - self.last))
        self.last = now

    def report(self) -> None:
        for name, seconds in self.laps:
            print(f"journey: {name:<40} {seconds:6.2f} s")
        print(f"journey: {'total':<40} {sum(s for _, s in self.laps):6.2f} s")


def _sign_up_and_confirm(page) -> None:
    from django.core import mail

    page.goto("/en/")
    page.get_by_role("link", name="Sign up").click()
    page.locator('input[name="email"]').fill(EMAIL)
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/$"))
    letter = next(m for m in mail.outbox if EMAIL in m.to)
    page.goto(re.search(r"https?://\S+", letter.body).group(0))
    page.get_by_role("button", name="Confirm").click()
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"{EMAIL} (verified)")).to_be_visible()


def _self_check(page) -> None:
    page.goto(f"/en/procedures/{MASSAGE}/self-check/")
    for fieldset in page.locator("fieldset.question").all():
        if fieldset.locator('input[value="no"]').count():
            fieldset.locator('input[value="no"]').check()
    page.get_by_test_id("self-check-submit").click()
    expect(page.get_by_test_id("decision")).to_have_attribute("data-decision", "eligible")


def _find_the_clinic(page, clinic, salon) -> None:
    page.get_by_role("link", name="Salons and prices").click()
    page.get_by_test_id("city").select_option(salon.city.slug)
    page.locator('select[name="procedure"]').select_option(MASSAGE)
    page.get_by_test_id("find").click()
    page.get_by_test_id("book-online").first.click()
    expect(page).to_have_url(re.compile(rf"/en/book/{clinic.pk}/{MASSAGE}/$"))


def _book_online(page, monday: dt.date) -> None:
    from cryoclinic.notifications.models import OutboxMessage

    for fieldset in page.get_by_test_id("intake-form").locator("fieldset.question").all():
        if fieldset.locator('input[value="no"]').count():
            fieldset.locator('input[value="no"]').check()
    page.get_by_test_id("intake-submit").click()
    page.get_by_test_id("to-consent").click()
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("sign-form")).to_be_visible()
    message = OutboxMessage.objects.filter(kind="consent_code").order_by("-id").first()
    assert message.recipient == EMAIL  # the verified email: the newcomer gave no phone
    page.get_by_label("Code from the message").fill(re.search(r"\d{4,}", message.body).group(0))
    page.get_by_test_id("sign-submit").click()
    expect(page).to_have_url(re.compile(r"/time/$"))
    page.locator('input[name="start"]').fill(monday.isoformat())
    page.locator('select[name="time"]').select_option("18:00")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("proposal").locator("li")).to_have_count(10)
    page.get_by_test_id("book-submit").click()
    expect(page.get_by_test_id("booking-done")).to_have_attribute("data-status", "active")


def _pay_the_deposit(page) -> None:
    page.get_by_test_id("to-deposit").click()
    expect(page.get_by_test_id("deposit-due")).to_have_text("Deposit due: 1500 ₽.")
    page.get_by_test_id("pay-deposit").click()
    expect(page.get_by_test_id("amount")).to_contain_text("1500.00 RUB")
    page.get_by_test_id("pay").click()
    expect(page.get_by_test_id("deposit")).to_have_attribute("data-status", "succeeded")


def _move_one_session(page, session) -> dt.datetime:
    from django.utils import timezone

    new_start = timezone.localtime(session.starts_at) + dt.timedelta(hours=1)
    page.goto("/en/account/courses/")
    page.get_by_test_id(f"move-{session.pk}").click()
    page.get_by_label("New date and time").fill(new_start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("move-session").click()
    expect(page.get_by_text("Your session is moved to")).to_be_visible()
    return new_start


def _review(page, salon) -> None:
    page.goto(f"/en/directory/salons/{salon.pk}/")
    page.locator('input[name="stars"][value="5"]').check()
    page.get_by_label("Your review").fill("Бережно и вовремя.")
    page.get_by_role("button", name="Send the review").click()
    expect(page.get_by_text("your review will appear once a moderator has checked it")).to_be_visible()


def _approve_as_the_platform_admin(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, locale="en-GB")
    admin = context.new_page()
    admin.goto("/en/accounts/login/")
    admin.get_by_label("Username").fill("demo-platform")
    admin.get_by_label("Password").fill("cryo-demo-2026")
    admin.get_by_role("button", name="Log in").click()
    admin.goto("/en/platform/reviews/")
    admin.get_by_test_id("approve-review").first.click()
    expect(admin.get_by_test_id("pending-reviews")).not_to_contain_text("Бережно")
    context.close()


def test_a_newcomer_books_pays_moves_and_reviews(browser, live_server, demo, transactional_db, settings):
    from django.utils import timezone

    from cryoclinic.clinics.state import current_clinic
    from cryoclinic.directory.models import Salon
    from cryoclinic.payments import services as payments
    from cryoclinic.payments.fake_yookassa import FakeYooKassa
    from cryoclinic.payments.models import Deposit
    from cryoclinic.scheduling import services as scheduling
    from cryoclinic.scheduling.models import Appointment, Course

    clinic = current_clinic()
    salon = Salon.objects.get(clinic=clinic)
    fake = FakeYooKassa()
    fake.add_shop("504031", "test_journey-secret", f"{live_server.url}/payments/yookassa/{clinic.slug}/")
    fake.start()
    settings.YOOKASSA_API_URL = fake.api_url
    payments.save_shop(clinic, shop_id="504031", secret_key="test_journey-secret", vat_code=1)
    payments.set_policy(MASSAGE, kind="amount", amount_rub=1500, share_percent=None)
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    clock = Stopwatch()
    try:
        _sign_up_and_confirm(page)
        clock.lap("sign up, confirm the email, sign in")
        _self_check(page)
        clock.lap("self-check")
        _find_the_clinic(page, clinic, salon)
        clock.lap("find the clinic in the directory")
        _book_online(page, monday)
        clock.lap("questionnaire, e-signed consent, 10 sessions")
        _pay_the_deposit(page)
        clock.lap("pay the deposit (local YooKassa)")
        course = Course.objects.get(client__user__email=EMAIL)
        assert course.appointments.count() == 10
        assert Deposit.objects.get(course=course).status == "succeeded"

        session = course.appointments.get(session_number=2)
        new_start = _move_one_session(page, session)
        clock.lap("move one session")
        session.refresh_from_db()
        assert timezone.localtime(session.starts_at) == new_start

        first = course.appointments.get(session_number=1)
        scheduling.change_appointment(first, status=Appointment.Status.DONE)  # as the practitioner records it
        _review(page, salon)
        clock.lap("leave a review")
        page.goto(f"/en/directory/?city={salon.city.slug}&procedure={MASSAGE}&sort=rating")
        row = page.locator('[data-testid="salons"] tbody tr', has_text=salon.name_in("en"))
        expect(row).not_to_contain_text("1 rating")  # not before moderation
        _approve_as_the_platform_admin(browser, live_server.url)
        page.reload()
        expect(row).to_contain_text("1 rating, average 5 out of 5")
        clock.lap("approval, seen in the directory")
    finally:
        fake.stop()
        context.close()
    clock.report()
