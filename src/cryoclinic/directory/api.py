"""`/api/directory`: public reads of cities, salons with prices and ratings, and per-city statistics."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from cryoclinic.api.errors import ApiError, errors
from cryoclinic.api.pagination import Mapped, Pagination
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


def _city_out(city: City) -> CityOut:
    return CityOut(slug=city.slug, name_en=city.name_en, name_ru=city.name_ru, salons=city.salons.count())


@router.get("/cities", response={200: list[CityOut]} | errors(422), auth=None, summary="Cities with salons")
@paginate(Pagination)
def cities(request: HttpRequest) -> Mapped[City, CityOut]:
    return Mapped(City.objects.order_by("name_en"), _city_out)


def _check_procedure(procedure: str | None) -> None:
    if procedure is None:
        return
    try:
        knowledge.get_procedure(procedure)
    except knowledge.UnknownProcedure as exc:
        raise ApiError(422, "procedure", str(exc)) from exc


def _salon_out(r: services.SalonRow) -> SalonOut:
    return SalonOut(
        id=r.salon.pk,
        name=r.salon.name,
        address=r.salon.address,
        city=r.salon.city.slug,
        phone=r.salon.phone,
        price_rub=r.price_rub,
        rating_count=r.rating_count,
        rating_average=round(r.rating_average, 2) if r.rating_average is not None else None,
    )


@router.get("/salons", response={200: list[SalonOut]} | errors(422), auth=None, summary="Salons, filtered and sorted")
@paginate(Pagination)
def salons(
    request: HttpRequest, city: str | None = None, procedure: str | None = None, sort: str = "price"
) -> Mapped[services.SalonRow, SalonOut]:
    _check_procedure(procedure)
    try:
        rows = services.search(city=city, procedure=procedure, sort=sort)
    except services.DirectoryError as exc:
        raise ApiError(422, exc.field, str(exc)) from exc
    return Mapped(rows, _salon_out)


def _stats_out(s: services.CityStats) -> StatsOut:
    return StatsOut(city=s.city.slug, salons=s.salons, min_rub=s.min_rub, median_rub=s.median_rub, max_rub=s.max_rub)


@router.get("/stats", response={200: list[StatsOut]} | errors(422), auth=None, summary="Per-city price statistics")
@paginate(Pagination)
def stats(request: HttpRequest, procedure: str = "facial-cryomassage") -> Mapped[services.CityStats, StatsOut]:
    _check_procedure(procedure)
    return Mapped(services.stats(procedure), _stats_out)
