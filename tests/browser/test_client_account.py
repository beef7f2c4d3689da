"""A newcomer makes an account with their email, confirms it from the letter and signs in; a client moves one of
their sessions online."""

import re

from playwright.sync_api import expect

PASSWORD = "frost-and-sun-2026"


def test_a_newcomer_signs_up_with_email_confirms_it_and_signs_in(page, transactional_db):
    from django.core import mail

    page.goto("/en/")
    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/signup/$"))
    page.locator('input[name="email"]').fill("vera@example.org")
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/$"))

    (letter,) = mail.outbox
    link = re.search(r"https?://\S+", letter.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("vera@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/account/data/$"))
    expect(page.get_by_role("heading", name="My data")).to_be_visible()
    expect(page.get_by_text("vera@example.org (verified)")).to_be_visible()


def test_a_client_moves_one_session_online(page, make_user, demo, link_client, transactional_db):
    import datetime as dt

    from django.utils import timezone

    from cryoclinic.clients.models import Client
    from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room

    user = make_user("client", username="vera", password=PASSWORD)
    record = Client.objects.order_by("id").first()
    link_client(record, user)
    start = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=11, minute=0, second=0, microsecond=0)
    course = Course.objects.create(client=record, procedure="facial-cryomassage", rules={}, knowledge_version="1")
    session = Appointment.objects.create(
        client=record, procedure="facial-cryomassage", practitioner=Practitioner.objects.order_by("pk").first(),
        room=Room.objects.order_by("pk").first(), starts_at=start, ends_at=start + dt.timedelta(minutes=20),
        course=course, session_number=1,
    )
    new_start = start + dt.timedelta(days=1, hours=3)

    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/en/account/courses/")
    page.get_by_test_id(f"move-{session.pk}").click()
    page.get_by_label("New date and time").fill(new_start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("move-session").click()
    expect(page).to_have_url(re.compile(r"/en/account/courses/$"))
    expect(page.get_by_text("Your session is moved to")).to_be_visible()
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at) == new_start
