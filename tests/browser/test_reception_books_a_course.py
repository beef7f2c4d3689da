import re

from playwright.sync_api import expect


def test_reception_books_a_full_course_and_sees_it_on_the_calendar(page, make_user, demo, transactional_db):
    import datetime as dt

    from django.utils import timezone

    from cryoclinic.clients.models import Client
    from cryoclinic.scheduling.models import Appointment

    make_user("reception", username="rita", password="right-pass-2026")
    client = Client.objects.order_by("id").first()
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("right-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/en/staff/calendar/?date={monday.isoformat()}&view=week")
    page.get_by_test_id("plan-client").select_option(str(client.pk))
    page.get_by_test_id("plan-start").fill(monday.isoformat())
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("proposal").locator("li")).to_have_count(10)
    page.get_by_test_id("book-submit").click()
    expect(page.get_by_test_id("calendar-message")).to_have_text(re.compile("10"))
    expect(page.get_by_test_id("calendar").locator(f'[data-client="{client.pk}"]').first).to_be_visible()
    assert Appointment.objects.filter(client=client).count() == 10
