"""A small directory world: the source's salons, and the test's clinic ready to be booked (hours, a practitioner,
a room) with a price list of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from cryoclinic.clinics.state import current_clinic
from cryoclinic.directory.importer import import_seed_prices
from cryoclinic.directory.models import ClinicPrice, Salon


@pytest.fixture(autouse=True)
def _english_messages():
    """Services speak the active language; outside a request the tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def seed(db) -> None:
    import_seed_prices()


@pytest.fixture
def open_clinic(db, make_user):
    """The test's clinic, open Monday to Saturday 09:00–21:00, one practitioner of every procedure, one room,
    facial cryomassage at 1500 ₽."""
    from cryoclinic.scheduling.models import OpeningHours, Practitioner, Room, WorkingHours

    clinic = current_clinic()
    for weekday in range(6):
        OpeningHours.objects.create(weekday=weekday, opens=dt.time(9), closes=dt.time(21))
    practitioner = Practitioner.objects.create(
        user=make_user("practitioner", username="doctor"), display_name="Анна Морозова", title="dermatologist",
        procedures=["facial-cryomassage", "cryodestruction", "scalp-darsonvalization"],
    )
    for weekday in range(6):
        WorkingHours.objects.create(practitioner=practitioner, weekday=weekday, starts=dt.time(9), ends=dt.time(21))
    Room.objects.create(name="Кабинет 1")
    ClinicPrice.objects.create(procedure="facial-cryomassage", amount_rub=1500)
    return clinic


@pytest.fixture
def tais(seed) -> Salon:
    return Salon.objects.get(name='Beauty salon "Tais"')
