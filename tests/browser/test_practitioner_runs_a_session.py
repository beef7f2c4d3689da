import re

from playwright.sync_api import expect

from cryoclinic.clinics.state import current_clinic


def test_practitioner_runs_the_demo_session_to_completion_and_records_a_reaction(page, demo, transactional_db):
    from django.utils import timezone

    from cryoclinic.clients.models import Client
    from cryoclinic.demo import DEMO_PASSWORD
    from cryoclinic.scheduling.models import Appointment
    from cryoclinic.treatments.demo import load_demo_session
    from cryoclinic.treatments.models import AdverseEvent, SessionRecord

    appointment = load_demo_session(current_clinic(), Client.objects.order_by("id")[0])
    assert appointment is not None
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("demo-doctor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/en/staff/calendar/?date={timezone.localdate(appointment.starts_at).isoformat()}")
    page.locator(f'[data-appointment="{appointment.pk}"]').get_by_test_id("session-link").click()
    expect(page.get_by_test_id("session")).to_have_attribute("data-status", "none")
    page.get_by_test_id("open-session").click()

    page.get_by_test_id("rescreen-link").click()
    for index in range(page.locator("fieldset.question").count()):
        fieldset = page.locator("fieldset.question").nth(index)
        if fieldset.locator('input[value="no"]').count():
            fieldset.locator('input[value="no"]').check()
        else:
            fieldset.locator('input[type="checkbox"]').check()
    page.get_by_test_id("rescreen-submit").click()
    expect(page.get_by_test_id("decision")).to_have_attribute("data-decision", "eligible")

    form = page.get_by_test_id("details-form")
    form.get_by_label("Technique").select_option("cotton_swab")
    form.get_by_label("forehead").check()
    form.get_by_label("Cheekbone (zygoma)").check()
    day = timezone.localdate().isoformat()
    form.get_by_label("Started at").fill(f"{day}T10:00")
    form.get_by_label("Ended at").fill(f"{day}T10:15")
    for stage in ("makeup_removal", "coolant_along_massage_lines", "cream_or_mask"):
        form.locator(f'input[name="details-stages_done"][value="{stage}"]').check()
    form.locator('input[name="details-reactions"][value="mild_redness"]').check()
    page.get_by_test_id("save-details").click()
    expect(page.get_by_test_id("missing-items")).to_contain_text("Mild redness")
    dwell = page.get_by_test_id("session-dwell")  # the dose engine's guidance for the treated zones
    expect(dwell.locator("tbody tr")).to_have_count(2)
    expect(dwell.locator('tr[data-zone="zygoma"] td').first).to_contain_text(re.compile(r"\d\.\d\d s"))

    event = page.get_by_test_id("event-form")
    event.get_by_label("Reaction or event").select_option("mild_redness")
    event.get_by_label("Severity").select_option("mild")
    page.get_by_test_id("report-event").click()
    expect(page.get_by_test_id("adverse-events")).to_contain_text("Mild redness")

    page.get_by_test_id("give-aftercare").click()
    expect(page.get_by_test_id("aftercare-given")).to_be_visible()
    page.get_by_test_id("complete-session").click()
    expect(page.get_by_test_id("session")).to_have_attribute("data-status", "completed")
    expect(page).to_have_url(re.compile(rf"/en/staff/appointments/{appointment.pk}/session/"))
    assert SessionRecord.objects.get(appointment=appointment).status == "completed"
    assert AdverseEvent.objects.filter(appointment=appointment, code="mild_redness").exists()
    assert Appointment.objects.get(pk=appointment.pk).status == "done"
