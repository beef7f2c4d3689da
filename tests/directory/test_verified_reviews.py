"""Verified ratings: only after a session done at the clinic, one per client and clinic, moderated by the platform
admin, counted in the source's form ("N ratings, average X out of 5") and sortable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from cryoclinic.accounts.models import PlatformAuditEvent
from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.directory.models import City, Review, Salon
from cryoclinic.scheduling.models import Appointment, Practitioner, Room

pytestmark = pytest.mark.django_db
MASSAGE = "facial-cryomassage"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def city(db) -> City:
    return City.objects.create(slug="tver", name_en="Tver", name_ru="Тверь")


@pytest.fixture
def salon(city, clinic) -> Salon:
    return Salon.objects.create(city=city, name="Снежинка", address="ул. Мира, 2", clinic=clinic)


def _session(record: Client, status: str) -> Appointment:
    practitioner = Practitioner.objects.first() or Practitioner.objects.create(
        user=User.objects.create(username="doc"), display_name="Анна", procedures=[MASSAGE],
    )
    room = Room.objects.first() or Room.objects.create(name="Кабинет 1")
    start = timezone.now() - dt.timedelta(days=1)
    return Appointment.objects.create(client=record, procedure=MASSAGE, practitioner=practitioner, room=room,
                                      starts_at=start, ends_at=start + dt.timedelta(minutes=20), status=status)


@pytest.fixture
def rater(make_user):
    """A client of the clinic with a session done there."""
    user = make_user("client", username="vera")
    _session(Client.objects.get(user=user), "done")
    return user


def _rate(client, salon: Salon, stars: str = "4"):
    return client.post(f"/en/directory/salons/{salon.pk}/review/", {"stars": stars, "text": "Хорошо"})


def test_a_client_with_a_session_done_rates_the_clinic(client, rater, salon):
    client.force_login(rater)
    assert _rate(client, salon).status_code == 302
    review = Review.objects.get()
    assert (review.author, review.rated_clinic, review.stars, review.status) == (rater, salon.clinic, 4, "pending")


@pytest.mark.parametrize("status", ["booked", "cancelled", "no_show"])
def test_a_client_without_a_session_done_cannot_rate(client, make_user, salon, status):
    user = make_user("client", username="newcomer")
    _session(Client.objects.get(user=user), status)
    client.force_login(user)
    response = _rate(client, salon)
    assert response.status_code == 422 and "once you have had a session there" in response.content.decode()
    assert not Review.objects.exists()


def test_a_session_at_another_clinic_does_not_count(client, make_user, salon, other_clinic):
    user = make_user("client", username="elsewhere")
    with state.activate(other_clinic):
        Client.objects.create(user=user, full_name="Вера", phone="+79990000001")
    _session(Client.objects.get(user=user), "booked")  # booked only here
    with state.activate(other_clinic):
        doc = Practitioner.objects.create(user=make_user(None, username="doc-b"), display_name="B",
                                          procedures=[MASSAGE])
        start = timezone.now() - dt.timedelta(days=1)
        Appointment.objects.create(client=Client.objects.get(user=user), procedure=MASSAGE, practitioner=doc,
                                   room=Room.objects.create(name="B1"), starts_at=start,
                                   ends_at=start + dt.timedelta(minutes=20), status="done")
    client.force_login(user)
    assert _rate(client, salon).status_code == 422
    assert not Review.objects.exists()


def test_a_listing_not_run_by_a_clinic_cannot_be_rated(client, rater, city):
    listing = Salon.objects.create(city=city, name="Tais", address="ул. Ленина, 1")
    client.force_login(rater)
    response = _rate(client, listing)
    assert response.status_code == 422 and "run by a clinic on the platform" in response.content.decode()


def test_one_rating_per_client_and_clinic_across_its_salons(client, rater, salon, city):
    second = Salon.objects.create(city=city, name="Снежинка-2", address="ул. Мира, 4", clinic=salon.clinic)
    client.force_login(rater)
    assert _rate(client, salon).status_code == 302
    response = _rate(client, second, "1")
    assert response.status_code == 422 and "already rated this clinic" in response.content.decode()
    assert Review.objects.count() == 1


def test_the_database_holds_one_rating_per_client_and_clinic(rater, salon, city):
    second = Salon.objects.create(city=city, name="Снежинка-2", address="ул. Мира, 4", clinic=salon.clinic)
    Review.objects.create(salon=salon, rated_clinic=salon.clinic, author=rater, stars=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(salon=second, rated_clinic=salon.clinic, author=rater, stars=1)


@pytest.fixture
def moderator(client, make_user):
    client.force_login(make_user("platform_admin", username="plato"))
    return client


@pytest.fixture
def pending(rater, salon) -> Review:
    return Review.objects.create(salon=salon, rated_clinic=salon.clinic, author=rater, stars=4, text="<b>ok</b>")


def test_the_platform_admin_approves_and_the_directory_counts_it(moderator, pending, salon):
    page = moderator.get("/en/platform/reviews/").content.decode()
    assert f'data-review="{pending.pk}"' in page and "&lt;b&gt;ok&lt;/b&gt;" in page
    assert "No ratings yet" in moderator.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert moderator.post(f"/en/platform/reviews/{pending.pk}/", {"decision": "approve"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.moderated_by.username == "plato"
    assert "1 rating, average 4 out of 5" in moderator.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert "1 оценка, в среднем 4 из 5" in moderator.get(f"/ru/directory/salons/{salon.pk}/").content.decode()
    assert PlatformAuditEvent.objects.filter(action="review_approve", subject_id=str(pending.pk)).exists()


def test_a_rejected_review_never_counts(moderator, pending, salon):
    moderator.post(f"/en/platform/reviews/{pending.pk}/", {"decision": "reject"})
    assert Review.objects.get().status == "rejected"
    assert "No ratings yet" in moderator.get(f"/en/directory/salons/{salon.pk}/").content.decode()


def test_a_bad_or_repeated_decision_is_a_422_and_changes_nothing(moderator, pending):
    assert moderator.post(f"/en/platform/reviews/{pending.pk}/", {"decision": "maybe"}).status_code == 422
    assert Review.objects.get().status == "pending"
    moderator.post(f"/en/platform/reviews/{pending.pk}/", {"decision": "approve"})
    again = moderator.post(f"/en/platform/reviews/{pending.pk}/", {"decision": "reject"})
    assert again.status_code == 422 and "already moderated" in again.content.decode()
    assert Review.objects.get().status == "approved"


def test_the_directory_sorts_by_the_verified_average(client, make_user, city, clinic, other_clinic):
    high = Salon.objects.create(city=city, name="Высокий", address="1", clinic=other_clinic)
    low = Salon.objects.create(city=city, name="Низкий", address="2", clinic=clinic)
    for i, (salon, stars) in enumerate([(high, 5), (high, 4), (low, 2)]):
        author = make_user(None, username=f"rater-{i}")
        Review.objects.create(salon=salon, rated_clinic=salon.clinic, author=author, stars=stars, status="approved")
    rows = client.get("/api/directory/salons?city=tver&sort=rating").json()["items"]
    names = [r["name_ru"] or r["name"] for r in rows]
    assert names.index("Высокий") < names.index("Низкий")
    high_row = next(r for r in rows if r["id"] == high.pk)
    assert (high_row["rating_count"], high_row["rating_average"]) == (2, 4.5)


def test_the_moderation_page_speaks_russian(moderator, pending):
    assert "Отзывы на модерации" in moderator.get("/ru/platform/reviews/").content.decode()
