"""A clinic with a YooKassa shop on the local stand-in, a deposit asked for cryomassage, and a client's course."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.payments import services
from cryoclinic.payments.fake_yookassa import FakeYooKassa
from cryoclinic.scheduling import services as scheduling
from cryoclinic.scheduling.models import Course
from cryoclinic.scheduling.planning import TimeWindow

SHOP_ID, SECRET = "504030", "test_Secret-Key-2026"
MASSAGE = "facial-cryomassage"
EVENINGS = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))


@pytest.fixture
def fake(settings):
    """The local YooKassa, with the clinic's shop; the SDK is pointed at it."""
    server = FakeYooKassa(retry_delay_s=0.01)
    server.add_shop(SHOP_ID, SECRET)
    server.start()
    settings.YOOKASSA_API_URL = server.api_url
    yield server
    server.stop()


def book(client: Client, start: dt.date | None = None) -> Course:
    """A course booked the way staff book one (screening, planner, one transaction)."""
    today = timezone.localdate()
    start = start or today + dt.timedelta(days=7 - today.weekday())
    request = scheduling.PlanInput(client=client, procedure=MASSAGE, start=start, availability=EVENINGS)
    return scheduling.book_course(current_clinic(), request, by=None)


@dataclass
class World:
    course: Course
    client: Client
    user: object


@pytest.fixture
def world(demo, make_user, link_client, fake) -> World:
    """The demo's first clinic with a shop and a deposit of 1 500 ₽ for cryomassage; the client's booked course."""
    services.save_shop(current_clinic(), shop_id=SHOP_ID, secret_key=SECRET, vat_code=1)
    services.set_policy(MASSAGE, kind="amount", amount_rub=1500, share_percent=None)
    record = Client.objects.order_by("id").first()  # screened and consented by the demo
    user = make_user("client", username="vera")
    link_client(record, user)
    return World(course=book(record), client=record, user=user)


def start(world: World, return_url: str = "http://testserver/back/"):
    return services.start_payment(world.course, by=world.user, return_url=return_url)
