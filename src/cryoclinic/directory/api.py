"""`/api/directory`: public reads of cities, salons with prices and ratings, and per-city statistics;
`/api/clinics`: the live clinics of the platform, their directory salon and what they offer."""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from cryoclinic import caching
from cryoclinic.api.errors import ApiError, errors
from cryoclinic.api.pagination import Mapped, Pagination
from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge import services as knowledge

from . import live, services
from .models import City, Salon

router = Router(tags=["directory"])
clinics_router = Router(tags=["clinics"])


class CityOut(Schema):
    slug: str
    name_en: str
    name_ru: str
    salons: int


class SalonOut(Schema):
    id: int
    name: str = Field(description="as first listed (for a salon of the source, its English translation)")
    address: str
    name_ru: str
    name_en: str
    address_ru: str
    address_en: str
    names_origin: str = Field(
        description="source_translation (the Russian back-transliterated from the source's English), import, "
        "clinic (given by the clinic that runs it) or staff"
    )
    city: str
    phone: str
    on_platform: bool = Field(description="run by a live clinic of the platform")
    clinic: str | None = Field(description="the slug of the clinic that runs it, on the platform")
    price_rub: int | None
    price_kind: Literal["live", "cited"] | None = Field(
        description="live: the clinic's current price; cited: the lowest price cited from a source"
    )
    procedures: list[str] = Field(description="offered (on the platform) or priced by a source (a listing)")
    sources: list[str] = Field(description="where a listing's prices are cited from")
    rating_count: int
    rating_average: float | None


class StatsOut(Schema):
    city: str
    salons: int
    min_rub: int
    median_rub: float
    max_rub: int
    price_rows: int = Field(description="how many cited prices the figures are computed from")
    sources: list[str] = Field(description="the sources of those prices; the clinics' live prices are never counted")


class PlatformClinicOut(Schema):
    id: int
    slug: str
    name: str
    city: str
    salon: int | None = Field(description="the directory salon the clinic runs (the first, if several)")
    procedures: list[str] = Field(description="the procedures its price list offers")


def _city_out(city: City) -> CityOut:
    return CityOut(slug=city.slug, name_en=city.name_en, name_ru=city.name_ru, salons=city.salon_count)  # type: ignore[attr-defined]


@router.get("/cities", response={200: list[CityOut]} | errors(422), auth=None, summary="Cities with salons")
@paginate(Pagination)
def cities(request: HttpRequest) -> Mapped[City, CityOut]:
    return Mapped(City.objects.annotate(salon_count=Count("salons")).order_by("name_en"), _city_out)


def _check_procedure(procedure: str | None) -> None:
    if procedure is None:
        return
    try:
        knowledge.get_procedure(procedure)
    except knowledge.UnknownProcedure as exc:
        raise ApiError(422, "procedure", str(exc)) from exc


def _salon_out(r: services.SalonRow) -> SalonOut:
    salon = r.salon
    return SalonOut(
        id=salon.pk,
        name=salon.name,
        address=salon.address,
        name_ru=salon.name_ru,
        name_en=salon.name_en,
        address_ru=salon.address_ru,
        address_en=salon.address_en,
        names_origin=salon.names_origin,
        city=salon.city.slug,
        phone=salon.phone,
        on_platform=r.live,
        clinic=salon.clinic.slug if r.live else None,  # type: ignore[union-attr]
        price_rub=r.price_rub,
        price_kind=None if r.price_rub is None else "live" if r.live else "cited",
        procedures=list(r.procedures),
        sources=list(r.sources),
        rating_count=r.rating_count,
        rating_average=round(r.rating_average, 2) if r.rating_average is not None else None,
    )


def _salon_items(city: str | None, procedure: str | None, sort: str) -> list[dict[str, object]]:
    return [_salon_out(r).model_dump() for r in services.search(city=city, procedure=procedure, sort=sort)]


@router.get("/salons", response={200: list[SalonOut]} | errors(422), auth=None, summary="Salons, filtered and sorted")
@paginate(Pagination)
def salons(
    request: HttpRequest, city: str | None = None, procedure: str | None = None, sort: str = "price"
) -> Mapped[dict[str, object], dict[str, object]]:
    _check_procedure(procedure)
    key = f"api-salons:{city or ''}:{procedure or ''}:{sort}"
    try:  # cached as plain data: cheaper to read back than the rows' model instances
        items = caching.cached(caching.DIRECTORY, key, lambda: _salon_items(city, procedure, sort))
    except services.DirectoryError as exc:
        raise ApiError(422, exc.field, str(exc)) from exc
    return Mapped(items, dict)


def _stats_out(s: services.CityStats) -> StatsOut:
    return StatsOut(
        city=s.city.slug,
        salons=s.salons,
        min_rub=s.min_rub,
        median_rub=s.median_rub,
        max_rub=s.max_rub,
        price_rows=s.price_rows,
        sources=list(s.sources),
    )


@router.get(
    "/stats",
    response={200: list[StatsOut]} | errors(422),
    auth=None,
    summary="Per-city price statistics",
    description="Computed from the prices cited from sources only (each row names them and counts them); the "
    "clinics' live prices are never mixed in (they are in /api/directory/salons, `price_kind` live).",
)
@paginate(Pagination)
def stats(request: HttpRequest, procedure: str = "facial-cryomassage") -> Mapped[services.CityStats, StatsOut]:
    _check_procedure(procedure)
    return Mapped(services.stats(procedure), _stats_out)


class _ClinicPage(Mapped[Clinic, PlatformClinicOut]):
    """A page of clinics, converted together: one read of their salons and one of what they offer."""

    def __getitem__(self, index: int | slice) -> PlatformClinicOut | list[PlatformClinicOut]:  # type: ignore[override]
        page = list(self.rows[index]) if isinstance(index, slice) else [self.rows[index]]
        ids = [c.pk for c in page]
        salons: dict[int, int] = {}
        run = Salon.objects.filter(clinic_id__in=ids).order_by("pk").values_list("pk", "clinic_id")
        for salon_id, clinic_id in run:
            salons.setdefault(clinic_id, salon_id)
        offered = live.offered_by(ids)
        out = [
            PlatformClinicOut(
                id=c.pk, slug=c.slug, name=c.name, city=c.city, salon=salons.get(c.pk), procedures=offered[c.pk]
            )
            for c in page
        ]
        return out if isinstance(index, slice) else out[0]


@clinics_router.get(
    "", response={200: list[PlatformClinicOut]} | errors(422), auth=None, summary="The live clinics of the platform"
)
@paginate(Pagination)
def clinics(request: HttpRequest) -> Mapped[Clinic, PlatformClinicOut]:
    rows: QuerySet[Clinic] = Clinic.objects.filter(status=Clinic.Status.ACTIVE).order_by("name", "pk")
    return _ClinicPage(rows, lambda clinic: clinic)  # type: ignore[arg-type, return-value]
