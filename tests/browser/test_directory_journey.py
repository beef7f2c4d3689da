import re

from playwright.sync_api import expect


def test_client_picks_a_city_sorts_by_price_opens_a_salon_and_sends_a_request(page, transactional_db):
    from cryoclinic.directory.importer import import_seed_prices
    from cryoclinic.directory.models import BookingRequest

    import_seed_prices()
    page.goto("/en/directory/")
    page.get_by_test_id("city").select_option("krasnodar")
    page.get_by_test_id("find").click()
    expect(page).to_have_url(re.compile(r"city=krasnodar"))
    prices = page.locator('[data-testid="salons"] tbody tr')
    expect(prices).to_have_count(3)
    page.get_by_test_id("sort-price").click()  # ascending is the default: the click turns it round
    expect(page).to_have_url(re.compile(r"sort=-price"))
    expect(prices.first).to_have_attribute("data-price", "1800")
    page.get_by_test_id("sort-price").click()
    expect(prices.first).to_have_attribute("data-price", "500")
    prices.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text('Clinic "Cosmet"')
    page.get_by_label("Your name").fill("Вера Крещенская")
    page.get_by_label("Phone").fill("8 912 345-67-89")
    page.get_by_test_id("send-request").click()
    expect(page.get_by_test_id("request-sent")).to_have_text("Your request is sent")
    request = BookingRequest.objects.get()
    assert (request.name, request.phone, request.salon.name) == ("Вера Крещенская", "+79123456789", 'Clinic "Cosmet"')
