"""The reception calendar, the client's course view, and calendar feeds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import public, roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION, has_role
from cryoclinic.clients.models import Client, client_of
from cryoclinic.clients.phones import format_phone
from cryoclinic.clinics import state
from cryoclinic.clinics.services import clinic_or_404
from cryoclinic.clinics.state import current_clinic
from cryoclinic.knowledge import services as knowledge

from . import feeds, self_service
from .models import Appointment, Course, Practitioner, Room


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError as exc:
        raise Http404("Give the date as YYYY-MM-DD.") from exc


@roles_required(ADMIN, RECEPTION, PRACTITIONER)
def calendar(request: HttpRequest) -> HttpResponse:
    """Day or week, by practitioner or by room; booking, moving and cancelling through the API."""
    clinic = clinic_or_404()
    tz = ZoneInfo(clinic.time_zone)
    day = _day(request.GET.get("date"))
    view = "week" if request.GET.get("view") == "week" else "day"
    by = "room" if request.GET.get("by") == "room" else "practitioner"
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    days = [first + dt.timedelta(days=i) for i in range(7 if view == "week" else 1)]
    start = dt.datetime.combine(days[0], dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    appointments = (
        Appointment.objects.filter(clinic=clinic, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("client", "practitioner", "room")
        .order_by("starts_at")
    )
    resources = (
        list(Practitioner.objects.filter(clinic=clinic))
        if by == "practitioner"
        else list(Room.objects.filter(clinic=clinic))
    )
    columns = []
    for resource in resources:
        mine = [a for a in appointments if (a.practitioner_id if by == "practitioner" else a.room_id) == resource.pk]
        columns.append(
            {
                "resource": resource,
                "days": [
                    {"day": d, "appointments": [a for a in mine if a.starts_at.astimezone(tz).date() == d]}
                    for d in days
                ],
            }
        )
    audit.record(request.user, "view", ("scheduling.calendar", day.isoformat()), request=request, detail=view)
    context = {
        "clinic": clinic,
        "day": day,
        "view": view,
        "by": by,
        "days": days,
        "columns": columns,
        "tz": tz,
        "previous": (days[0] - dt.timedelta(days=len(days))).isoformat(),
        "next": (days[-1] + dt.timedelta(days=1)).isoformat(),
        "clients": Client.objects.order_by("full_name"),
        "may_book": has_role(request.user, ADMIN, RECEPTION),
        "procedures": [p for p in knowledge.list_procedures() if p.course.sessions_per_course],
        "weekdays": range(7),
        "flagged": Course.objects.filter(clinic=clinic, status=Course.Status.FLAGGED).select_related("client"),
        "practitioners": Practitioner.objects.filter(clinic=clinic).order_by("pk"),
    }
    return render(request, "scheduling/calendar.html", context)


@roles_required(CLIENT)
def my_courses(request: HttpRequest) -> HttpResponse:
    client = client_of(request.user)
    courses = list(client.courses.prefetch_related("appointments")) if client else []
    if client is not None:
        audit.record(request.user, "view", client, request=request, detail="own courses")
    names = {p.slug: p.name for p in knowledge.list_procedures()}
    changeable = {a.pk for c in courses for a in c.appointments.all() if self_service.may_change_online(a)}
    clinic = current_clinic()
    context = {
        "courses": courses, "names": names, "changeable": changeable, "clinic": clinic,
        "clinic_phone": format_phone(clinic.phone) if clinic else "",
    }
    return render(request, "scheduling/my_courses.html", context)


@roles_required(CLIENT, PRACTITIONER)
@require_http_methods(["GET", "POST"])
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Issue (or re-issue) or revoke the personal calendar feed link."""
    client = client_of(request.user) if has_role(request.user, CLIENT) else None
    practitioner = None if client else Practitioner.objects.filter(user_id=int(request.user.pk or 0)).first()
    if client is None and practitioner is None:
        raise Http404("Your account has no appointments to publish.")
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feeds.revoke_feeds(client=client, practitioner=practitioner)
        else:
            feeds.issue_feed(client=client, practitioner=practitioner)
        return redirect("calendar-link")
    owner = {"client": client} if client else {"practitioner": practitioner}
    feed = feeds.CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).first()
    url = request.build_absolute_uri(f"/calendar/{feed.token}.ics") if feed else None
    return render(request, "scheduling/calendar_link.html", {"url": url})


@public
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design: the unguessable token is the credential; a revoked token is a 404."""
    feed = feeds.active_feed(token)
    if feed is None:
        raise Http404("No such calendar.")
    with state.activate(feed.clinic):
        return HttpResponse(feeds.render_ics(feed), content_type="text/calendar; charset=utf-8")
