"""Directory queries (search, sort, statistics, live prices) and the writes clients make (reviews, booking requests)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic import caching
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.notifications.services import enqueue

from . import invalidation, live
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
    price_rub: int | None  # on the platform: the clinic's live price; a listing: its lowest cited price
    live: bool  # run by a live clinic of the platform
    procedures: tuple[str, ...]  # on the platform: what its price list offers; a listing: what it has prices for
    sources: tuple[str, ...]  # where a listing's prices are cited from
    rating_count: int
    rating_average: float | None


def city_by_slug(slug: str) -> City:
    city = City.objects.filter(slug=slug).first()
    if city is None:
        known = ", ".join(City.objects.values_list("slug", flat=True))
        raise DirectoryError("city", f"Unknown city {slug!r}. Known cities: {known}.")
    return city


def _cited(salon_ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
    """Salon id -> (the procedures it has cited prices for, the sources they are cited from)."""
    found: dict[int, tuple[set[str], set[str]]] = {}
    rows = PriceEntry.objects.filter(salon_id__in=salon_ids).values_list("salon_id", "procedure", "source")
    for salon_id, procedure, source in rows.distinct():
        procedures, sources = found.setdefault(salon_id, (set(), set()))
        procedures.add(procedure)
        sources.add(source)
    return found


def search(*, city: str | None = None, procedure: str | None = None, sort: str = "price") -> list[SalonRow]:
    """Salons with their price for the procedure and their approved-review rating. A salon on the platform shows
    its clinic's live price and is found for what its price list offers; a listing, its lowest cited price.
    Cached until the directory's data changes (`invalidation`)."""
    if sort not in SORT_KEYS:
        raise DirectoryError("sort", f"Unknown sort {sort!r}; use one of: {', '.join(SORT_KEYS)}.")
    key = f"search:{city or ''}:{procedure or ''}:{sort}"
    return caching.cached(caching.DIRECTORY, key, lambda: _search(city, procedure, sort))


def _search(city: str | None, procedure: str | None, sort: str) -> list[SalonRow]:
    salons = Salon.objects.select_related("city", "clinic")
    price_filter = Q(prices__procedure=procedure) if procedure else Q()
    if city:
        salons = salons.filter(city=city_by_slug(city))
    if procedure:
        salons = salons.filter(Q(clinic__status=Clinic.Status.ACTIVE) | Q(prices__procedure=procedure)).distinct()
    salons = salons.annotate(
        price=Min("prices__amount_rub", filter=price_filter),
        rating_count=Count("reviews", filter=Q(reviews__status=Review.Status.APPROVED), distinct=True),
        rating_average=Avg("reviews__stars", filter=Q(reviews__status=Review.Status.APPROVED)),
    )
    found = list(salons)
    live_lists = live.price_lists(s.clinic for s in found if s.on_platform)  # type: ignore[misc]
    cited = _cited([s.pk for s in found if not s.on_platform])
    rows = []
    for s in found:
        rating = (s.rating_count, s.rating_average)  # type: ignore[attr-defined]
        if s.on_platform:
            offer = live_lists[s.clinic_id]  # type: ignore[index]
            if procedure and procedure not in offer:
                continue
            price = offer.get(procedure) if procedure else min(offer.values(), default=None)
            rows.append(SalonRow(s, price, True, tuple(offer), (), *rating))
        else:
            procedures, sources = cited.get(s.pk, (set(), set()))
            rows.append(SalonRow(s, s.price, False, tuple(sorted(procedures)), tuple(sorted(sources)), *rating))  # type: ignore[attr-defined]
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
    price_rows: int  # the cited prices read (a salon with several counts once, at its lowest)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class StatsBasis:
    """What the statistics are computed from: cited prices only, never a clinic's live or fictional price."""

    price_rows: int
    sources: tuple[str, ...]


def stats(procedure: str) -> list[CityStats]:
    """Per city, from the prices cited from sources (`PriceEntry`) only: how many salons price the procedure,
    and the minimum, median and maximum of their prices. The clinics' live prices are not in them
    (`live_prices` lists those apart). Cached until the directory's data changes."""
    return caching.cached(caching.DIRECTORY, f"stats:{procedure}", lambda: _stats(procedure))


def _stats(procedure: str) -> list[CityStats]:
    by_city: dict[int, list[int]] = {}
    cities: dict[int, City] = {}
    lowest: dict[tuple[int, int], int] = {}
    rows: dict[int, int] = {}
    sources: dict[int, set[str]] = {}
    for entry in PriceEntry.objects.filter(procedure=procedure).select_related("salon__city"):
        city_id = entry.salon.city_id
        key = (city_id, entry.salon_id)
        lowest[key] = min(lowest.get(key, entry.amount_rub), entry.amount_rub)
        cities[city_id] = entry.salon.city
        rows[city_id] = rows.get(city_id, 0) + 1
        sources.setdefault(city_id, set()).add(entry.source)
    for (city_id, _salon_id), price in lowest.items():
        by_city.setdefault(city_id, []).append(price)
    found = [
        CityStats(cities[c], len(p), min(p), float(statistics.median(p)), max(p), rows[c], tuple(sorted(sources[c])))
        for c, p in by_city.items()
    ]
    return sorted(found, key=lambda s: s.city.name_en)


def stats_basis(city_stats: list[CityStats]) -> StatsBasis:
    return StatsBasis(
        sum(s.price_rows for s in city_stats), tuple(sorted({src for s in city_stats for src in s.sources}))
    )


@dataclass(frozen=True)
class LivePrice:
    salon: Salon
    amount_rub: int


def live_prices(procedure: str, city: str | None = None) -> list[LivePrice]:
    """The live prices of the clinics on the platform for the procedure, by price: shown apart from the
    statistics, never mixed into them. Cached until the directory's data changes."""
    key = f"live:{procedure}:{city or ''}"
    return caching.cached(caching.DIRECTORY, key, lambda: _live_prices(procedure, city))


def _live_prices(procedure: str, city: str | None) -> list[LivePrice]:
    salons = Salon.objects.filter(clinic__status=Clinic.Status.ACTIVE).select_related("city", "clinic")
    if city:
        salons = salons.filter(city__slug=city)
    found = list(salons)
    lists = live.price_lists(s.clinic for s in found)  # type: ignore[misc]
    prices = [LivePrice(s, lists[s.clinic_id][procedure]) for s in found if procedure in lists[s.clinic_id]]  # type: ignore[index]
    return sorted(prices, key=lambda p: (p.amount_rub, p.salon.pk))


def source_name(ref: str, language: str) -> str:
    """A cited price's source as people read it: the source article's section, or the source as recorded."""
    if ref.startswith("seed#"):
        return knowledge.sources().label(ref, language, short=True)
    return ref


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


def had_done_session(user: User, clinic: Clinic) -> bool:
    """Whether `user` is a client of `clinic` with a session there done: what makes a rating verified."""
    from cryoclinic.scheduling.models import Appointment

    with state.activate(clinic):  # the rated clinic's records, whichever clinic the request acts for
        return Appointment.objects.filter(client__user_id=user.pk, status=Appointment.Status.DONE).exists()


def _works_at(user: User, clinic: Clinic) -> bool:
    from cryoclinic.clinics.models import Membership

    with state.activate(clinic):
        return Membership.objects.filter(user_id=user.pk).exists()


def may_review(user: User, salon: Salon) -> str | None:
    """Why `user` may not rate `salon`, or None. A rating is verified: a client with a session done at the clinic
    that runs the salon, once per clinic, never its own staff."""
    if not user.is_authenticated:
        return _("Only signed-in clients can rate a salon.")
    if salon.clinic_id is None or salon.clinic is None:
        return _("Only a salon run by a clinic on the platform can be rated: a rating needs a session there.")
    if _works_at(user, salon.clinic):
        return _("You cannot review a salon your own clinic runs.")
    if not had_done_session(user, salon.clinic):
        return _("You can rate a clinic once you have had a session there.")
    if Review.objects.filter(Q(salon=salon) | Q(rated_clinic=salon.clinic), author=user).exists():
        return _("You have already rated this clinic.")
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
            return Review.objects.create(
                salon=salon, rated_clinic=salon.clinic, author=user, stars=stars, text=text.strip()
            )
    except IntegrityError as exc:
        raise DirectoryError("salon", _("You have already rated this clinic.")) from exc


def moderate_review(review: Review, decision: str, *, by: User, request: Any = None) -> Review:
    """The platform admin approves or rejects a review waiting for moderation; only approved ones count."""
    from cryoclinic.accounts import audit

    statuses = {"approve": Review.Status.APPROVED, "reject": Review.Status.REJECTED}
    if decision not in statuses:
        raise DirectoryError("decision", _("The decision must be “approve” or “reject”."))
    changed = Review.objects.filter(pk=review.pk, status=Review.Status.PENDING).update(
        status=statuses[decision], moderated_by=by, moderated_at=timezone.now()
    )
    if not changed:
        raise DirectoryError("decision", _("This review is already moderated."))
    invalidation.changed()  # a queryset update sends no signal; the salon's count and average change
    review.refresh_from_db()
    audit.record(by, f"review_{decision}", review, request=request, detail=f"{review.stars} stars")
    return review


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
