"""`/api/directory`: public reads of cities, salons with prices and ratings, and per-city statistics."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from cryoclinic.api.errors import invalid
from cryoclinic.knowledge import services as knowledge

from . import services
from .models import City

router = Router(tags=["directory"])


class CityOut(Schema):
    slug: str
    name_en: str
    name_ru: str
    salons: int


class SalonOut(Schema):
    id: int
    name: str
    address: str
    city: str
    phone: str
    price_rub: int | None
    rating_count: int
    rating_average: float | None


class StatsOut(Schema):
    city: str
    salons: int
    min_rub: int
    median_rub: float
    max_rub: int


@router.get("/cities", response=list[CityOut], auth=None, summary="Cities with salons")
def cities(request: HttpRequest) -> list[CityOut]:
    return [
        CityOut(slug=c.slug, name_en=c.name_en, name_ru=c.name_ru, salons=c.salons.count())
        for c in City.objects.order_by("name_en")
    ]


def _check_procedure(request: HttpRequest, procedure: str | None) -> HttpResponse | None:
    if procedure is None:
        return None
    try:
        knowledge.get_procedure(procedure)
    except knowledge.UnknownProcedure as exc:
        return invalid(request, "procedure", str(exc))
    return None


@router.get("/salons", response={200: list[SalonOut]}, auth=None, summary="Salons, filtered and sorted")
def salons(
    request: HttpRequest, city: str | None = None, procedure: str | None = None, sort: str = "price"
) -> list[SalonOut] | HttpResponse:
    problem = _check_procedure(request, procedure)
    if problem is not None:
        return problem
    try:
        rows = services.search(city=city, procedure=procedure, sort=sort)
    except services.DirectoryError as exc:
        return invalid(request, exc.field, str(exc))
    return [
        SalonOut(
            id=r.salon.pk,
            name=r.salon.name,
            address=r.salon.address,
            city=r.salon.city.slug,
            phone=r.salon.phone,
            price_rub=r.price_rub,
            rating_count=r.rating_count,
            rating_average=round(r.rating_average, 2) if r.rating_average is not None else None,
        )
        for r in rows
    ]


@router.get("/stats", response={200: list[StatsOut]}, auth=None, summary="Per-city price statistics")
def stats(request: HttpRequest, procedure: str = "facial-cryomassage") -> list[StatsOut] | HttpResponse:
    problem = _check_procedure(request, procedure)
    if problem is not None:
        return problem
    return [
        StatsOut(city=s.city.slug, salons=s.salons, min_rub=s.min_rub, median_rub=s.median_rub, max_rub=s.max_rub)
        for s in services.stats(procedure)
    ]
