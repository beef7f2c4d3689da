"""Directory queries (search, sort, statistics) and the writes clients make (reviews, booking requests)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic.accounts.roles import CLIENT, STAFF_ROLES, has_role
from cryoclinic.notifications.services import enqueue

from .models import BookingRequest, City, ClinicPrice, PriceEntry, Review, Salon

SortKey = Literal["price", "-price", "rating"]
SORT_KEYS: tuple[str, ...] = ("price", "-price", "rating")
REVIEWS_PER_HOUR = 3
REQUESTS_PER_HOUR_PER_IP = 10


class DirectoryError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SalonRow:
    salon: Salon
    price_rub: int | None
    rating_count: int
    rating_average: float | None


def city_by_slug(slug: str) -> City:
    city = City.objects.filter(slug=slug).first()
    if city is None:
        known = ", ".join(City.objects.values_list("slug", flat=True))
        raise DirectoryError("city", f"Unknown city {slug!r}. Known cities: {known}.")
    return city


def search(*, city: str | None = None, procedure: str | None = None, sort: str = "price") -> list[SalonRow]:
    """Salons with their lowest price for the procedure and their approved-review rating."""
    if sort not in SORT_KEYS:
        raise DirectoryError("sort", f"Unknown sort {sort!r}; use one of: {', '.join(SORT_KEYS)}.")
    salons = Salon.objects.select_related("city")
    price_filter = Q(prices__procedure=procedure) if procedure else Q()
    if city:
        salons = salons.filter(city=city_by_slug(city))
    if procedure:
        salons = salons.filter(prices__procedure=procedure).distinct()
    salons = salons.annotate(
        price=Min("prices__amount_rub", filter=price_filter),
        rating_count=Count("reviews", filter=Q(reviews__status=Review.Status.APPROVED), distinct=True),
        rating_average=Avg("reviews__stars", filter=Q(reviews__status=Review.Status.APPROVED)),
    )
    rows = [SalonRow(s, s.price, s.rating_count, s.rating_average) for s in salons]  # type: ignore[attr-defined]
    if sort == "rating":
        rows.sort(key=lambda r: (r.rating_average is None, -(r.rating_average or 0), -r.rating_count, r.salon.pk))
    else:
        reverse = sort == "-price"
        priced = sorted(
            (r for r in rows if r.price_rub is not None), key=lambda r: (r.price_rub, r.salon.pk), reverse=reverse
        )
        rows = priced + [r for r in rows if r.price_rub is None]
    return rows


@dataclass(frozen=True)
class CityStats:
    city: City
    salons: int
    min_rub: int
    median_rub: float
    max_rub: int


def stats(procedure: str) -> list[CityStats]:
    """Per city: how many salons price the procedure, and the minimum, median and maximum of their prices."""
    by_city: dict[int, list[int]] = {}
    cities: dict[int, City] = {}
    lowest: dict[tuple[int, int], int] = {}
    for entry in PriceEntry.objects.filter(procedure=procedure).select_related("salon__city"):
        key = (entry.salon.city_id, entry.salon_id)
        lowest[key] = min(lowest.get(key, entry.amount_rub), entry.amount_rub)
        cities[entry.salon.city_id] = entry.salon.city
    for (city_id, _salon_id), price in lowest.items():
        by_city.setdefault(city_id, []).append(price)
    return sorted(
        (CityStats(cities[c], len(p), min(p), float(statistics.median(p)), max(p)) for c, p in by_city.items()),
        key=lambda s: s.city.name_en,
    )


def clinic_price_rub(procedure: str) -> int | None:
    """The active clinic's own price for a procedure, from its price list; None where it lists none."""
    return ClinicPrice.objects.filter(procedure=procedure).values_list("amount_rub", flat=True).first()


def rating_label(count: int, average: float | None) -> str:
    from django.utils.translation import ngettext

    if not count or average is None:
        return _("No ratings yet")
    return ngettext(
        "%(count)d rating, average %(average)s out of 5", "%(count)d ratings, average %(average)s out of 5", count
    ) % {"count": count, "average": f"{average:.1f}".rstrip("0").rstrip(".")}


def may_review(user: User, salon: Salon) -> str | None:
    """Why `user` may not review `salon`, or None."""
    if not user.is_authenticated or not has_role(user, CLIENT):
        return _("Only signed-in clients can rate a salon.")
    if salon.clinic_id is not None and has_role(user, *STAFF_ROLES):
        return _("You cannot review a salon your own clinic runs.")
    if Review.objects.filter(salon=salon, author=user).exists():
        return _("You have already rated this salon.")
    return None


def _rate_limited(key: str, limit: int) -> bool:
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit


def add_review(user: User, salon: Salon, stars: int, text: str) -> Review:
    """A review waits for moderation; shown (and counted) only once approved."""
    reason = may_review(user, salon)
    if reason:
        raise DirectoryError("salon", reason)
    if not 1 <= stars <= 5:
        raise DirectoryError("stars", _("Give between 1 and 5 stars."))
    if _rate_limited(f"directory:reviews:{user.pk}", REVIEWS_PER_HOUR):
        raise DirectoryError("salon", _("Too many reviews in an hour; try again later."))
    try:
        with transaction.atomic():
            return Review.objects.create(salon=salon, author=user, stars=stars, text=text.strip())
    except IntegrityError as exc:
        raise DirectoryError("salon", _("You have already rated this salon.")) from exc


def request_booking(salon: Salon, *, ip: str, language: str, **fields: object) -> BookingRequest:
    """Store the request; where no clinic account runs the salon, email the salon through the outbox."""
    if _rate_limited(f"directory:requests:{ip}", REQUESTS_PER_HOUR_PER_IP):
        raise DirectoryError("salon", _("Too many requests from your address; try again in an hour."))
    booking = BookingRequest.objects.create(salon=salon, language=language, **fields)
    if salon.clinic_id is None and salon.email:
        enqueue(
            key=f"booking-request:{booking.pk}:email",
            kind="booking_request",
            channel="email",
            recipient=salon.email,
            subject=f"cryoclinic: {booking.procedure} — {booking.name}",
            body=(
                f"{booking.name}, {booking.phone} {booking.email}\n{booking.procedure}, "
                f"{booking.preferred_date or '—'}\n\n{booking.message}"
            ),
            due_at=timezone.now(),
            language=language,
        )
    return booking
