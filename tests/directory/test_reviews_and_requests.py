"""Reviews (moderated, one per client, no owners, rate-limited, escaped) and booking requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.directory.models import BookingRequest, City, Review, Salon
from cryoclinic.notifications.services import deliver_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def salon(db) -> Salon:
    city = City.objects.create(slug="tver", name_en="Tver", name_ru="Тверь")
    return Salon.objects.create(city=city, name="Иней", address="ул. Советская, 1", email="salon@example.org")


@pytest.fixture
def clinic_salon(salon, clinic) -> Salon:
    return Salon.objects.create(city=salon.city, name="Снежинка", address="ул. Мира, 2", clinic=clinic)


@pytest.fixture
def visited(clinic_salon, users) -> Salon:
    """The clinic's salon, where the client has had a session done (a verified rating)."""
    from cryoclinic.scheduling.models import Appointment, Practitioner, Room

    practitioner = Practitioner.objects.create(
        user=users["practitioner"], display_name="Анна", procedures=["facial-cryomassage"]
    )
    start = timezone.now() - dt.timedelta(days=2)
    Appointment.objects.create(
        client=Client.objects.get(user=users["client"]), procedure="facial-cryomassage", practitioner=practitioner,
        room=Room.objects.create(name="Кабинет 1"), starts_at=start, ends_at=start + dt.timedelta(minutes=20),
        status="done",
    )
    return clinic_salon


def test_a_review_waits_for_moderation_then_counts(client, users, visited):
    salon = visited
    client.force_login(users["client"])
    response = client.post(f"/en/directory/salons/{salon.pk}/review/", {"stars": "4", "text": "Хорошо"})
    assert response.status_code == 302
    page = client.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert "No ratings yet" in page
    Review.objects.update(status=Review.Status.APPROVED)
    page = client.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert "1 rating, average 4 out of 5" in page
    assert "1 оценка, в среднем 4 из 5" in client.get(f"/ru/directory/salons/{salon.pk}/").content.decode()


def test_one_review_per_client_per_salon(client, users, visited):
    salon = visited
    client.force_login(users["client"])
    client.post(f"/en/directory/salons/{salon.pk}/review/", {"stars": "5"})
    second = client.post(f"/en/directory/salons/{salon.pk}/review/", {"stars": "1"})
    assert second.status_code == 422
    assert Review.objects.get().stars == 5


def test_review_text_is_shown_escaped(client, users, visited):
    salon = visited
    client.force_login(users["client"])
    client.post(f"/en/directory/salons/{salon.pk}/review/", {"stars": "5", "text": "<script>alert(1)</script>"})
    Review.objects.update(status=Review.Status.APPROVED)
    page = client.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_staff_of_the_clinic_that_runs_a_salon_cannot_review_it(client, make_user, clinic_salon, link_client):
    owner = make_user("practitioner", username="owner")
    link_client(Client.objects.create(full_name="Сотрудница", phone="+79160000002"), owner)  # also a client
    client.force_login(owner)
    response = client.post(f"/en/directory/salons/{clinic_salon.pk}/review/", {"stars": "5"})
    assert response.status_code == 422
    assert "your own clinic" in response.content.decode()
    assert not Review.objects.exists()


def test_reviews_are_rate_limited(client, users, visited):
    client.force_login(users["client"])
    cache.set(f"directory:reviews:{users['client'].pk}", 3, timeout=3600)  # three reviews this hour already
    response = client.post(f"/en/directory/salons/{visited.pk}/review/", {"stars": "3"})
    assert response.status_code == 422 and "Too many reviews" in response.content.decode()
    assert not Review.objects.exists()


def test_a_bad_star_count_is_refused(client, users, visited):
    client.force_login(users["client"])
    assert client.post(f"/en/directory/salons/{visited.pk}/review/", {"stars": "9"}).status_code == 422
    assert not Review.objects.exists()


def test_request_to_a_clinic_salon_becomes_a_lead_in_the_staff_area(client, users, clinic_salon):
    response = client.post(
        f"/en/directory/salons/{clinic_salon.pk}/request/",
        {
            "procedure": "facial-cryomassage",
            "name": "Вера",
            "phone": "8 912 345 67 89",
            "message": "вечером",
        },
        follow=True,
    )
    assert "reception will call you back" in response.content.decode()
    lead = BookingRequest.objects.get()
    assert (lead.phone, lead.salon) == ("+79123456789", clinic_salon)
    client.force_login(users["reception"])
    assert "+79123456789" in client.get("/en/staff/leads/").content.decode()


def test_request_to_an_independent_salon_is_emailed_to_it(client, salon, mailoutbox):
    client.post(
        f"/en/directory/salons/{salon.pk}/request/",
        {"procedure": "facial-cryomassage", "name": "Вера", "phone": "+79123456789"},
    )
    from django.utils import timezone

    deliver_due(timezone.now())
    assert mailoutbox[0].to == ["salon@example.org"] and "+79123456789" in mailoutbox[0].body


def test_a_bad_request_is_refused_and_nothing_is_stored(client, salon):
    response = client.post(f"/en/directory/salons/{salon.pk}/request/", {"name": "", "phone": "123"})
    assert response.status_code == 422
    assert not BookingRequest.objects.exists()


def test_the_confirmation_is_only_for_the_session_that_sent_it(client, salon):
    client.post(
        f"/en/directory/salons/{salon.pk}/request/",
        {"procedure": "facial-cryomassage", "name": "Вера", "phone": "+79123456789"},
    )
    lead = BookingRequest.objects.get()
    assert client.get(f"/en/directory/salons/{salon.pk}/request/{lead.pk}/").status_code == 200
    client.cookies.clear()
    assert client.get(f"/en/directory/salons/{salon.pk}/request/{lead.pk}/").status_code == 404
