"""The reception calendar's time grid in Chromium: drag a session to free time (moved in the database), drag it
onto a taken slot (refused with the reason, springs back), book a course from a click on free time, and book
one with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

MSK = ZoneInfo("Europe/Moscow")
EVENINGS = [(d, dt.time(18), dt.time(21)) for d in range(6)]


def _course(client_record, *, time: dt.time | None = None, practitioner=None):
    from django.utils import timezone

    from cryoclinic.clinics.models import Clinic
    from cryoclinic.clinics.state import activate
    from cryoclinic.scheduling import services
    from cryoclinic.scheduling.planning import TimeWindow

    today = timezone.localdate()
    with activate(Clinic.objects.get(pk=client_record.clinic_id)) as clinic:
        return services.book_course(
            clinic,
            services.PlanInput(
                client=client_record, procedure="facial-cryomassage",
                start=today + dt.timedelta(days=7 - today.weekday()),
                availability=tuple(TimeWindow(*w) for w in EVENINGS),
                preferred_time=time, preferred_practitioner_id=practitioner,
            ),
            by=None,
        )


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _hour_height(page) -> float:
    labels = page.locator(".ec-body .ec-sidebar .ec-slot").all()  # one label an hour
    boxes = [label.bounding_box() for label in labels[1:3]]
    return boxes[1]["y"] - boxes[0]["y"]


def _drag(page, locator, dx: float, dy: float) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 6
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + dx * step / 10, y + dy * step / 10)
    page.mouse.up()


@pytest.fixture
def world(make_user, demo, transactional_db):
    from cryoclinic.clients.models import Client

    make_user("reception", username="rita", password="right-pass-2026")
    first, second = Client.objects.order_by("id")[:2]
    return {"first": first, "second": second}


@pytest.fixture
def grid_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/Moscow",
                                  viewport={"width": 1280, "height": 2200})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_drag_a_session_to_free_time_and_onto_a_taken_slot(grid_page, world):
    from cryoclinic.scheduling.models import Appointment

    page = grid_page
    mine = _course(world["first"], time=dt.time(18))
    first = mine.appointments.get(session_number=1)
    theirs = _course(world["second"], time=dt.time(20), practitioner=first.practitioner_id)
    taken = theirs.appointments.get(session_number=1)
    day = first.starts_at.astimezone(MSK).date()
    assert taken.starts_at.astimezone(MSK).date() == day and taken.practitioner_id == first.practitioner_id

    _sign_in(page, "rita", "right-pass-2026")
    page.goto(f"/en/staff/calendar/?date={day.isoformat()}&view=day")
    event = page.locator(f".appointment-{first.pk}")
    expect(event).to_be_visible()
    hour = _hour_height(page)

    _drag(page, event, 0, hour)  # 18:00 -> 19:00: free, inside every rule
    expect(page.get_by_test_id("calendar-message")).to_have_text(re.compile("moved"))
    first.refresh_from_db()
    assert first.starts_at.astimezone(MSK).time() == dt.time(19)

    event = page.locator(f".appointment-{first.pk}")
    before = event.bounding_box()["y"]
    _drag(page, event, 0, hour)  # 19:00 -> 20:00: the other client's session is there
    expect(page.get_by_test_id("calendar-message")).to_have_text(re.compile("Move refused: .*already booked"))
    first.refresh_from_db()
    assert first.starts_at.astimezone(MSK).time() == dt.time(19)
    expect(page.locator(f".appointment-{first.pk}")).to_be_visible()
    assert abs(page.locator(f".appointment-{first.pk}").bounding_box()["y"] - before) < 2  # sprang back
    assert Appointment.objects.get(pk=taken.pk).starts_at == taken.starts_at


def _free_spot(page, column, hour: float) -> tuple[float, float, str]:
    """A point of `column` on the grid at a free quarter hour from `hour` on (no session, no shading there)."""
    box = column.bounding_box()
    hour_px = _hour_height(page)
    for quarter in range(0, 4 * 3):
        label = f"{int(hour + quarter / 4):02d}:{15 * (quarter % 4):02d}"
        top = page.locator(f'.ec-body .ec-sidebar time[datetime$="T{int(hour + quarter / 4):02d}:00:00"]')
        y = top.bounding_box()["y"] + hour_px * (quarter % 4) / 4 + hour_px / 8
        x = box["x"] + box["width"] / 2
        hit = page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y);"
                            " return !!(e && e.closest('.ec-event, .ec-bg-event')); }", [x, y])
        if not hit:
            return x, y, label
    raise AssertionError("no free quarter hour in the evening")


def test_book_a_course_from_a_click_on_free_time(grid_page, world):
    from django.utils import timezone

    from cryoclinic.scheduling.models import Appointment, Practitioner

    page = grid_page
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    _sign_in(page, "rita", "right-pass-2026")
    page.goto(f"/en/staff/calendar/?date={monday.isoformat()}&view=day")
    expect(page.locator(".ec-body .ec-sidebar .ec-slot").first).to_be_attached()
    page.wait_for_load_state("networkidle")  # the grid's sessions and shading are drawn
    column = page.locator(".ec-body .ec-grid .ec-day").first  # the first practitioner's column
    x, y, label = _free_spot(page, column, 18)
    page.mouse.click(x, y)
    expect(page.get_by_test_id("plan-start")).to_have_value(monday.isoformat())
    expect(page.get_by_test_id("plan-time")).to_have_value(label)
    first_practitioner = Practitioner.objects.order_by("pk").first()
    expect(page.get_by_test_id("plan-practitioner")).to_have_value(str(first_practitioner.pk))
    page.get_by_test_id("plan-client").select_option(str(world["first"].pk))
    page.get_by_test_id("plan-submit").click()
    expect(page.get_by_test_id("proposal").locator("li")).to_have_count(10)
    page.get_by_test_id("book-submit").click()
    expect(page.get_by_test_id("calendar-message")).to_have_text(re.compile("10"))
    booked = Appointment.objects.filter(client=world["first"]).order_by("starts_at")
    assert booked.count() == 10
    chosen = dt.datetime.combine(monday, dt.time.fromisoformat(label), MSK)
    assert booked[0].starts_at.astimezone(MSK) == chosen and booked[0].practitioner_id == first_practitioner.pk
    expect(page.locator(f".appointment-{booked[0].pk}")).to_be_visible()


def _tab_to(page, testid: str, limit: int = 250) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.dataset.testid") == testid:
            return
    raise AssertionError(f"Tab never reached {testid}")


def test_book_a_course_with_the_keyboard_alone(grid_page, world):
    from django.utils import timezone

    from cryoclinic.scheduling.models import Appointment

    page = grid_page
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    page.goto("/en/accounts/login/")
    page.keyboard.press("Tab")
    _tab_to_label(page, "Username")
    page.keyboard.type("rita")
    page.keyboard.press("Tab")
    page.keyboard.type("right-pass-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/en/staff/calendar/?date={monday.isoformat()}&view=week")
    _tab_to(page, "plan-client")
    names = page.get_by_test_id("plan-client").locator("option").all_inner_texts()
    page.keyboard.press("Home")
    for _ in range(names.index(world["second"].full_name)):
        page.keyboard.press("ArrowDown")
    assert page.get_by_test_id("plan-client").input_value() == str(world["second"].pk)
    _tab_to(page, "plan-start")
    page.keyboard.type(monday.strftime("%m%d%Y"))  # headless Chromium's date field is month first
    assert page.get_by_test_id("plan-start").input_value() == monday.isoformat()
    _tab_to(page, "plan-submit")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("proposal").locator("li")).to_have_count(10)
    _tab_to(page, "book-submit")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("calendar-message")).to_have_text(re.compile("10"))
    assert Appointment.objects.filter(client=world["second"]).count() == 10


def _tab_to_label(page, label: str, limit: int = 60) -> None:
    for _ in range(limit):
        focused = page.evaluate(
            "document.activeElement && document.activeElement.labels && document.activeElement.labels.length"
            " ? document.activeElement.labels[0].textContent : ''"
        )
        if label in (focused or ""):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the field {label}")
