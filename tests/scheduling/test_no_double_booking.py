"""Two live appointments never overlap on a practitioner or a room: enforced by the database."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Appointment, Practitioner, Room


def _slot():
    start = dt.datetime(2030, 1, 7, 18, tzinfo=dt.UTC)
    return start, start + dt.timedelta(minutes=20)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_overlap_even_past_the_service(demo):
    clinic, practitioner, room = current_clinic(), Practitioner.objects.first(), Room.objects.first()
    clients = list(Client.objects.all()[:2])
    start, end = _slot()
    Appointment.objects.create(
        clinic=clinic,
        client=clients[0],
        procedure="facial-cryomassage",
        practitioner=practitioner,
        room=room,
        starts_at=start,
        ends_at=end,
    )
    with pytest.raises(IntegrityError, match="no_overlap"), transaction.atomic():
        Appointment.objects.create(
            clinic=clinic,
            client=clients[1],
            procedure="facial-cryomassage",
            practitioner=practitioner,
            room=Room.objects.last(),
            starts_at=start + dt.timedelta(minutes=10),
            ends_at=end + dt.timedelta(minutes=10),
        )
    # A cancelled appointment frees its time; back-to-back appointments do not overlap.
    Appointment.objects.create(
        clinic=clinic,
        client=clients[1],
        procedure="facial-cryomassage",
        practitioner=practitioner,
        room=room,
        starts_at=end,
        ends_at=end + dt.timedelta(minutes=20),
    )


def _race(n: int) -> tuple[int, list[str]]:
    clinic, practitioner, room = current_clinic(), Practitioner.objects.first(), Room.objects.first()
    clients = list(Client.objects.all()[:n])
    start, end = _slot()
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def book(client: Client) -> None:
        try:
            barrier.wait()
            with state.activate(clinic):  # a new thread starts in no clinic, as a new request would
                appointment = Appointment(
                    clinic=clinic,
                    client=client,
                    procedure="facial-cryomassage",
                    practitioner=practitioner,
                    room=room,
                    starts_at=start,
                    ends_at=end,
                )
                with transaction.atomic():
                    services._write_all(clinic, [appointment])
            outcome = "booked"
        except services.BookingConflict as exc:
            outcome = f"conflict: {exc}"
        except OperationalError as exc:  # SQLite's in-memory test database refuses a locked table at once
            outcome = f"locked: {exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=book, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Appointment.objects.count(), results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_clients_booking_one_slot_at_once_give_exactly_one_booking(demo):
    Client.objects.bulk_create(Client(full_name=f"Гонка {i}", phone=f"+7916200{i:04d}") for i in range(40))
    count, results = _race(50)
    assert count == 1
    assert results.count("booked") == 1
    assert len(results) == 50 and all(r.startswith("conflict: ") for r in results if r != "booked")


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_on_sqlite_are_serialized_too(demo):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL race is the test above")
    count, results = _race(8)
    assert count == 1 and results.count("booked") == 1
    assert len(results) == 8 and all(r.startswith(("conflict: ", "locked: ")) for r in results if r != "booked")
