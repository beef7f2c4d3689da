"""A client's journey: self-check for facial cryomassage, then find a salon in the directory and send a request."""

import re

from playwright.sync_api import expect


def test_client_self_checks_finds_a_salon_and_sends_a_booking_request(page, transactional_db):
    from cryoclinic.directory.importer import import_seed_prices
    from cryoclinic.directory.models import BookingRequest

    import_seed_prices()
    page.goto("/en/procedures/facial-cryomassage/self-check/")
    for fieldset in page.locator("fieldset.question").all():
        if fieldset.locator('input[value="no"]').count():  # the last one asks for an earlier course's end
            fieldset.locator('input[value="no"]').check()
    page.locator("fieldset.question", has_text="rosacea").locator('input[value="yes"]').check()
    page.get_by_test_id("self-check-submit").click()
    expect(page.get_by_test_id("decision")).to_have_attribute("data-decision", "caution")

    page.get_by_role("link", name="Salons and prices").click()
    expect(page).to_have_url(re.compile(r"/en/directory/"))
    page.get_by_test_id("city").select_option("krasnodar")
    page.get_by_test_id("find").click()
    salons = page.locator('[data-testid="salons"] tbody tr')
    expect(salons).to_have_count(3)
    salons.first.get_by_role("link").click()
    page.get_by_label("Your name").fill("Вера Крещенская")
    page.get_by_label("Phone").fill("+7 912 345-67-89")
    page.get_by_test_id("send-request").click()
    expect(page.get_by_test_id("request-sent")).to_have_text("Your request is sent")
    assert BookingRequest.objects.get().phone == "+79123456789"
