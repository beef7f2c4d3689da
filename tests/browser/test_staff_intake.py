import re

from playwright.sync_api import expect


def test_practitioner_records_an_intake_and_sees_the_decision(page, make_user, transactional_db):
    from cryoclinic.clients.models import Client

    make_user("practitioner", username="anna", password="right-pass-2026")
    record = Client.objects.create(full_name="Ксения Стужева", phone="+79161000005")
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("right-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/en/staff/clients/{record.pk}/")
    page.get_by_role("link", name="Facial cryomassage with liquid nitrogen").click()
    page.get_by_test_id("new-intake").click()
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        fieldset = questions.nth(index)
        if fieldset.locator('input[value="no"]').count():
            answer = "yes" if "herpes" in fieldset.inner_text().lower() else "no"
            fieldset.locator(f'input[value="{answer}"]').check()
    page.get_by_test_id("intake-submit").click()
    expect(page).to_have_url(re.compile(rf"/en/staff/clients/{record.pk}/procedures/facial-cryomassage/"))
    expect(page.get_by_test_id("decision")).to_have_attribute("data-decision", "postpone")
    expect(page.get_by_test_id("decision")).to_contain_text("herpes")
    expect(page.get_by_test_id("booking-check")).to_have_attribute("data-allowed", "false")
