"""`/api/clinic`, `/api/practitioners`, `/api/rooms`, absences and closed days: staff read, admins write."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cryoclinic.accounts.roles import ADMIN, STAFF_ROLES
from cryoclinic.api.auth import SESSION_OR_TOKEN
from cryoclinic.api.errors import errors, invalid, refuse_unless, require_role
from cryoclinic.api.pagination import Mapped, Pagination
from cryoclinic.api.types import Id, LocalTime
from cryoclinic.clinics.state import current_clinic

from .models import Absence, ClosedDay, Practitioner, Room

router = Router(tags=["resources"])


class WindowOut(Schema):
    weekday: int
    start: LocalTime
    end: LocalTime


class ClinicOut(Schema):
    name: str
    time_zone: str
    opening_hours: list[WindowOut]
    closed_days: list[dt.date]


class AbsenceOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str


class PractitionerOut(Schema):
    id: int
    name: str
    title: str
    procedures: list[str]
    working_hours: list[WindowOut]
    absences: list[AbsenceOut]


class RoomOut(Schema):
    id: int
    name: str
    procedures: list[str]


class AbsenceIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str = ""


class ClosedDayIn(Schema):
    date: dt.date
    reason: str = ""


def _staff(request: HttpRequest) -> HttpResponse | None:
    return refuse_unless(request, *STAFF_ROLES, message="Staff only.")


def _admin(request: HttpRequest) -> HttpResponse | None:
    return refuse_unless(request, ADMIN, message="Clinic admins only.")


@router.get(
    "/clinic",
    response={200: ClinicOut} | errors(401, 403, 404),
    auth=SESSION_OR_TOKEN,
    summary="The clinic's hours and closed days",
)
def clinic(request: HttpRequest) -> ClinicOut | HttpResponse:
    refused = _staff(request)
    if refused:
        return refused
    row = current_clinic()
    if row is None:
        return invalid(request, "", "You act for no clinic.", status=404)
    return ClinicOut(
        name=row.name,
        time_zone=row.time_zone,
        opening_hours=[WindowOut(weekday=h.weekday, start=h.opens, end=h.closes) for h in row.opening_hours.all()],
        closed_days=list(row.closed_days.values_list("date", flat=True)),
    )


def _practitioner_out(p: Practitioner) -> PractitionerOut:
    return PractitionerOut(
        id=p.pk,
        name=p.display_name,
        title=p.title,
        procedures=list(p.procedures),
        working_hours=[WindowOut(weekday=h.weekday, start=h.starts, end=h.ends) for h in p.working_hours.all()],
        absences=[
            AbsenceOut(id=a.pk, starts_at=a.starts_at, ends_at=a.ends_at, reason=a.reason) for a in p.absences.all()
        ],
    )


@router.get(
    "/practitioners",
    response={200: list[PractitionerOut]} | errors(401, 403, 422),
    auth=SESSION_OR_TOKEN,
    summary="Practitioners",
)
@paginate(Pagination)
def practitioners(request: HttpRequest) -> Mapped[Practitioner, PractitionerOut]:
    require_role(request, *STAFF_ROLES, message="Staff only.")
    rows = Practitioner.objects.prefetch_related("working_hours", "absences").order_by("pk")
    return Mapped(rows, _practitioner_out)


def _room_out(r: Room) -> RoomOut:
    return RoomOut(id=r.pk, name=r.name, procedures=list(r.procedures))


@router.get("/rooms", response={200: list[RoomOut]} | errors(401, 403, 422), auth=SESSION_OR_TOKEN, summary="Rooms")
@paginate(Pagination)
def rooms(request: HttpRequest) -> Mapped[Room, RoomOut]:
    require_role(request, *STAFF_ROLES, message="Staff only.")
    return Mapped(Room.objects.order_by("pk"), _room_out)


@router.post(
    "/practitioners/{practitioner_id}/absences",
    response={201: AbsenceOut} | errors(401, 403, 404, 422),
    auth=SESSION_OR_TOKEN,
    summary="Record an absence (admins)",
)
def add_absence(request: HttpRequest, practitioner_id: Id, payload: AbsenceIn) -> Status | HttpResponse:
    refused = _admin(request)
    if refused:
        return refused
    practitioner = Practitioner.objects.filter(pk=practitioner_id).first()
    if practitioner is None:
        return invalid(request, "practitioner_id", f"No practitioner #{practitioner_id}.", status=404)
    if payload.starts_at >= payload.ends_at:
        return invalid(request, "ends_at", "An absence must end after it starts.")
    absence = Absence.objects.create(
        practitioner=practitioner, starts_at=payload.starts_at, ends_at=payload.ends_at, reason=payload.reason
    )
    return Status(
        201, AbsenceOut(id=absence.pk, starts_at=absence.starts_at, ends_at=absence.ends_at, reason=absence.reason)
    )


@router.post(
    "/clinic/closed-days",
    response={201: ClosedDayIn} | errors(401, 403, 404, 409, 422),
    auth=SESSION_OR_TOKEN,
    summary="Close the clinic on a day (admins)",
)
def add_closed_day(request: HttpRequest, payload: ClosedDayIn) -> Status | HttpResponse:
    refused = _admin(request)
    if refused:
        return refused
    row = current_clinic()
    if row is None:
        return invalid(request, "", "You act for no clinic.", status=404)
    if ClosedDay.objects.filter(clinic=row, date=payload.date).exists():
        return invalid(request, "date", f"{payload.date} is already a closed day.", status=409)
    ClosedDay.objects.create(clinic=row, date=payload.date, reason=payload.reason)
    return Status(201, payload)
