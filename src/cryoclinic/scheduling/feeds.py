"""iCalendar feeds (the `icalendar` package) of a client's or a practitioner's appointments."""

from __future__ import annotations

import secrets

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.knowledge import services as knowledge

from .models import Appointment, CalendarFeed, Practitioner


def issue_feed(*, client: Client | None = None, practitioner: Practitioner | None = None) -> CalendarFeed:
    """A new token; the owner's earlier feeds are revoked, so an old link stops working."""
    owner = {"client": client} if client is not None else {"practitioner": practitioner}
    CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).update(revoked_at=timezone.now())
    return CalendarFeed.objects.create(token=secrets.token_urlsafe(32), **owner)


def revoke_feeds(*, client: Client | None = None, practitioner: Practitioner | None = None) -> int:
    owner = {"client": client} if client is not None else {"practitioner": practitioner}
    return CalendarFeed.objects.filter(revoked_at__isnull=True, **owner).update(revoked_at=timezone.now())


def active_feed(token: str) -> CalendarFeed | None:
    """The live feed a token opens, in whichever clinic (the token is the credential; the caller then acts in
    the feed's clinic)."""
    with state.platform():
        return (
            CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
            .select_related("clinic", "client", "practitioner")
            .first()
        )


def appointments_of(feed: CalendarFeed) -> QuerySet[Appointment]:
    rows = Appointment.objects.exclude(status=Appointment.Status.CANCELLED).select_related(
        "clinic", "room", "practitioner", "client"
    )
    return rows.filter(client=feed.client) if feed.client_id else rows.filter(practitioner=feed.practitioner)


def render_ics(feed: CalendarFeed) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//cryoclinic//appointments//RU")
    calendar.add("version", "2.0")
    names = {p.slug: p.name.get("ru") for p in knowledge.list_procedures()}
    for a in appointments_of(feed):
        event = Event()
        event.add("uid", f"appointment-{a.pk}@cryoclinic")
        event.add("dtstamp", a.created_at)
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        who = a.client.full_name if feed.practitioner_id else a.practitioner.display_name
        number = f" {a.session_number}" if a.session_number else ""
        event.add("summary", f"{names.get(a.procedure, a.procedure)}{number} — {who}")
        event.add("location", f"{a.clinic.name}, {a.clinic.address}, {a.room.name}")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
