import re

from playwright.sync_api import expect


def test_home_to_a_procedure_page_then_switch_language(page, transactional_db):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("link", name="Криомассаж лица жидким азотом").first.click()
    expect(page).to_have_url(re.compile(r"/ru/procedures/facial-cryomassage/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Криомассаж лица жидким азотом")
    expect(page.locator('[data-section="contraindications"] [data-code="epilepsy"]')).to_contain_text("Эпилепсия")

    page.get_by_test_id("switch-language").click()
    expect(page).to_have_url(re.compile(r"/en/procedures/facial-cryomassage/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Facial cryomassage with liquid nitrogen")
    expect(page.locator("#course")).to_contain_text("10–20 minutes")


def test_staff_member_logs_in_through_the_form(page, make_user):
    make_user("reception", username="rita", password="right-pass-2026")
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("right-pass-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff area")


def test_procedure_page_fits_a_phone_screen(page, transactional_db):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/en/procedures/cryodestruction/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
