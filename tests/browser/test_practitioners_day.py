"""The practitioner's day on a tablet (768 px wide): readable without sideways scrolling, every control at least
44 px tall, and the session record one tap away."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_the_day_on_a_768_px_tablet(browser, live_server, make_user, demo, transactional_db):
    from django.utils import timezone

    from cryoclinic.clients.models import Client
    from cryoclinic.demo import CLIENT_NAMES
    from cryoclinic.scheduling.models import Appointment, Practitioner, Room

    user = make_user("practitioner", username="olga", password="right-pass-2026")
    practitioner = Practitioner.objects.order_by("pk").first()
    Practitioner.objects.filter(pk=practitioner.pk).update(user=user)
    today = timezone.localdate()
    for hour, name in ((10, CLIENT_NAMES[0]), (11, CLIENT_NAMES[-1])):
        start = dt.datetime.combine(today, dt.time(hour), ZoneInfo("Europe/Moscow"))
        Appointment.objects.create(
            client=Client.objects.get(full_name=name), procedure="facial-cryomassage", practitioner=practitioner,
            room=Room.objects.order_by("pk").first(), starts_at=start, ends_at=start + dt.timedelta(minutes=20),
        )
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 768, "height": 1024},
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto("/ru/accounts/login/")
        page.locator('input[name="username"]').fill("olga")
        page.locator('input[name="password"]').fill("right-pass-2026")
        page.locator('button[type="submit"]').click()
        page.goto("/ru/staff/today/")
        cards = page.get_by_test_id("day-card")
        expect(cards).to_have_count(2)
        expect(cards.nth(1).get_by_test_id("day-screening")).to_have_attribute("data-decision", "contraindicated")
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        small = page.evaluate("""() => [...document.querySelectorAll(
                'main a.button, main button, main summary, main select')]
            .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
            .filter(([, h]) => h > 0 && h < 44)""")
        assert small == []
        cards.first.locator("summary").tap()
        expect(cards.first.get_by_test_id("session-dwell")).to_be_visible()
        cards.first.get_by_test_id("open-session").tap()
        expect(page).to_have_url(re.compile(r"/ru/staff/appointments/\d+/session/$"))
    finally:
        context.close()
