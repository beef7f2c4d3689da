"""Booking keeps the clinic's price and the chosen technique on each session, for revenue and the nitrogen forecast."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.directory.models import ClinicPrice
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Appointment
from cryoclinic.scheduling.planning import TimeWindow

pytestmark = pytest.mark.django_db
EVENINGS = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def _book(technique: str = "") -> list[Appointment]:
    clinic = current_clinic()
    request = services.PlanInput(
        client=Client.objects.order_by("id").first(), procedure="facial-cryomassage", start=_monday(),
        availability=EVENINGS, technique=technique,
    )
    return list(services.book_course(clinic, request, by=None).appointments.all())


def test_each_session_keeps_the_clinics_price_and_technique_as_booked(demo):
    sessions = _book("pressure_device")
    assert {(a.price_rub, a.technique) for a in sessions} == {(990, "pressure_device")}  # the demo clinic's list
    ClinicPrice.objects.update(amount_rub=1200)
    assert set(Appointment.objects.values_list("price_rub", flat=True)) == {990}  # a later change keeps the past


def test_the_clinics_current_price_list_applies(demo):
    ClinicPrice.objects.filter(procedure="facial-cryomassage").update(amount_rub=1100)
    assert {a.price_rub for a in _book()} == {1100}


def test_another_clinics_price_never_applies(demo):
    from cryoclinic.clinics import state
    from cryoclinic.clinics.models import Clinic
    from cryoclinic.demo import SECOND_CLINIC_SLUG

    with state.activate(Clinic.objects.get(slug=SECOND_CLINIC_SLUG)):
        assert ClinicPrice.objects.get(procedure="facial-cryomassage").amount_rub == 850
    assert {a.price_rub for a in _book()} == {990}


def test_a_clinic_without_a_price_books_without_one(demo):
    ClinicPrice.objects.all().delete()
    assert {a.price_rub for a in _book()} == {None}


def test_a_replanned_session_keeps_its_price_and_technique(demo):
    sessions = sorted(_book("cotton_swab"), key=lambda a: a.session_number)
    services.change_appointment(sessions[2], status="no_show")
    rest = Appointment.objects.filter(status="booked", session_number__gt=3)
    assert rest.exists() and {(a.price_rub, a.technique) for a in rest} == {(990, "cotton_swab")}


def test_an_unknown_technique_is_a_422_naming_the_field_and_books_nothing(client, users, demo):
    client.force_login(users["reception"])
    body = {
        "client": Client.objects.order_by("id").first().pk,
        "procedure": "facial-cryomassage",
        "start": _monday().isoformat(),
        "availability": [{"weekday": d, "start": "18:00", "end": "21:00"} for d in range(6)],
        "technique": "laser",
    }
    for url in ("/api/courses/plan", "/api/courses"):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, response.content
        assert "technique" in response.content.decode() and "cotton_swab" in response.content.decode()
    assert not Appointment.objects.exists()
