import re

from playwright.sync_api import expect


def _log_in(page, username: str, password: str, next_url: str) -> None:
    page.goto(f"/ru/accounts/login/?next={next_url}")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").last.click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def test_a_clinic_admin_claims_a_salon_the_platform_admin_approves_and_the_directory_shows_the_live_price(
    browser, live_server, make_user, clinic, transactional_db
):
    import datetime as dt

    from cryoclinic.directory.importer import import_seed_prices
    from cryoclinic.directory.models import ClinicPrice, Salon
    from cryoclinic.scheduling.models import OpeningHours, Practitioner, Room, WorkingHours

    import_seed_prices()
    tais = Salon.objects.get(name='Beauty salon "Tais"')
    make_user("admin", username="tais-admin", password="right-pass-2026")
    make_user("platform_admin", username="platform", password="right-pass-2026")
    ClinicPrice.objects.create(procedure="facial-cryomassage", amount_rub=1500)
    for weekday in range(7):
        OpeningHours.objects.create(weekday=weekday, opens=dt.time(0), closes=dt.time(23, 59))
    doctor = Practitioner.objects.create(user=make_user("practitioner", username="doctor"), display_name="Анна",
                                         procedures=["facial-cryomassage"])
    for weekday in range(7):
        WorkingHours.objects.create(practitioner=doctor, weekday=weekday, starts=dt.time(0), ends=dt.time(23, 59))
    Room.objects.create(name="Кабинет 1")

    def new_page():
        context = browser.new_context(base_url=live_server.url, locale="ru-RU")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return context, tab

    # The clinic's admin finds the salon, sees the source's listing, and claims it with the corrected names.
    context, page = new_page()
    _log_in(page, "tais-admin", "right-pass-2026", f"/ru/directory/salons/{tais.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Салон красоты «Таис»")
    expect(page.get_by_test_id("listing")).to_contain_text("Данные источника")
    page.get_by_test_id("claim-link").click()
    page.get_by_label("Название по-английски").fill("Tais beauty salon")
    page.get_by_label("Адрес по-английски").fill("32A Chkalova St")
    page.get_by_test_id("send-claim").click()
    expect(page).to_have_url(re.compile(r"/ru/staff/prices/$"))
    expect(page.get_by_test_id("claims").locator("tbody tr")).to_have_attribute("data-status", "pending")
    context.close()

    # The platform admin approves it on the platform's page.
    context, page = new_page()
    _log_in(page, "platform", "right-pass-2026", "/ru/platform/directory/")
    claim = page.locator("[data-claim]")
    expect(claim).to_contain_text("Tais beauty salon")
    claim.get_by_test_id("approve").click()
    expect(page.locator(".messages")).to_contain_text("одобрена")
    context.close()

    # Anyone now sees the clinic's live price in the directory, marked as such, and its next free time.
    context, page = new_page()
    page.goto("/ru/directory/?city=yaroslavl")
    row = page.locator(f'[data-testid="salons"] tr[data-salon="{tais.pk}"]')
    expect(row).to_have_attribute("data-kind", "live")
    expect(row).to_have_attribute("data-price", "1500")
    expect(row.get_by_test_id("price-kind")).to_have_text("актуальная цена клиники")
    expect(row.get_by_test_id("next-free")).to_contain_text("ближайшее свободное")
    row.get_by_role("link").first.click()
    expect(page.get_by_test_id("live-price")).to_have_text("1500 ₽")
    expect(page.get_by_test_id("next-free")).to_have_text(re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d"))
    page.goto(f"/en/directory/salons/{tais.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tais beauty salon")
    expect(page.get_by_test_id("salon-address")).to_contain_text("32A Chkalova St")
    context.close()
