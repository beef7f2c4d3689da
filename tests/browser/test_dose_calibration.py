"""A practitioner calibrates the swab on two readings, then reads the dose page: the calibrated figures, a
question's interval and its plot; the page fits a phone screen. Screenshots of the dose page at 1280 and 375 px
go to $DOSE_SCREENSHOTS when it is set (to look at them)."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect


def shoot(page, name: str) -> None:
    folder = os.environ.get("DOSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_practitioner_calibrates_the_swab_and_reads_the_dose_page(page, make_user, transactional_db):
    make_user("practitioner", username="vera", password="right-pass-2026")
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill("right-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.goto("/en/staff/dose/calibration/")
    expect(page.get_by_test_id("posterior")).to_contain_text("uncalibrated")
    for value in ("-22", "-24"):
        form = page.get_by_test_id("reading-form")
        form.get_by_label("Reading").select_option("surface_c")
        form.get_by_label("Instrument").select_option("thermal_camera")
        form.get_by_label("Application, s").fill("5")
        form.get_by_label("Value").fill(value)
        form.get_by_role("button", name="Record").click()
        expect(page).to_have_url(re.compile(r"technique=cotton_swab"))
    expect(page.get_by_test_id("posterior")).to_contain_text("Calibrated on 2 readings")
    expect(page.get_by_test_id("reading-history").locator("tbody tr")).to_have_count(2)

    page.goto("/en/staff/dose/?question=dwell&zone=eyelid&technique=cotton_swab&skin=female&passes=0")
    expect(page.get_by_test_id("calibration-status")).to_contain_text("calibrated on this clinic's 2 readings")
    expect(page.locator('td[data-technique="cotton_swab"][data-calibrated="yes"]').first).to_be_visible()
    result = page.get_by_test_id("dwell-result")
    expect(result).to_contain_text("90 % interval")
    expect(result.locator("svg polyline")).to_have_count(2)
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "dose-1280.png")
    page.set_viewport_size({"width": 375, "height": 740})
    shoot(page, "dose-375.png")
    wider = page.evaluate(  # what runs past the screen, outside the table's own scrolling box
        "[...document.querySelectorAll('main *')].filter(e => e.scrollWidth > 376 && !e.closest('.scroll'))"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, wider
