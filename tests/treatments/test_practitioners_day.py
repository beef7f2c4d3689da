"""The practitioner's day: their own sessions of the day, each with screening, consent, prerequisites and dose
guidance; an admin sees everyone's or one practitioner's; other roles are refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.demo import CLIENT_NAMES
from cryoclinic.scheduling.models import Appointment, Practitioner, Room

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
MASSAGE = "facial-cryomassage"


def _session(client: Client, practitioner: Practitioner, day: dt.date, hour: int, procedure: str = MASSAGE):
    start = dt.datetime.combine(day, dt.time(hour), MSK)
    return Appointment.objects.create(
        client=client, procedure=procedure, practitioner=practitioner, room=Room.objects.order_by("pk").first(),
        starts_at=start, ends_at=start + dt.timedelta(minutes=20),
    )


@pytest.fixture
def day_world(demo, users):
    day = timezone.localdate() + dt.timedelta(days=1)
    mine, theirs = Practitioner.objects.order_by("pk")[:2]
    Practitioner.objects.filter(pk=mine.pk).update(user=users["practitioner"])
    clients = [Client.objects.get(full_name=name) for name in CLIENT_NAMES]
    return {
        "day": day,
        "mine": _session(clients[0], mine, day, 10),  # screened and consented by the demo
        "contraindicated": _session(clients[-1], mine, day, 11),  # the demo's client with epilepsy
        "wart": _session(clients[1], mine, day, 12, procedure="cryodestruction"),
        "theirs": _session(clients[2], theirs, day, 13),
    }


def _cards(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-testid="day-card" data-appointment="')[1:]]


def test_a_practitioner_sees_their_own_sessions_of_the_day_only(client, users, day_world):
    client.force_login(users["practitioner"])
    html = client.get(f"/en/staff/today/?date={day_world['day']}").content.decode()
    shown = _cards(html)
    assert str(day_world["mine"].pk) in shown and str(day_world["theirs"].pk) not in shown
    assert shown == sorted(shown, key=lambda pk: Appointment.objects.get(pk=pk).starts_at)
    assert f'href="/en/staff/appointments/{day_world["mine"].pk}/session/"' in html


def test_each_card_has_screening_consent_prerequisites_and_dose(client, users, day_world):
    client.force_login(users["practitioner"])
    html = client.get(f"/en/staff/today/?date={day_world['day']}").content.decode()
    card = html.split(f'data-appointment="{day_world["contraindicated"].pk}"', 1)[1].split('data-testid="day-card"')[0]
    assert 'data-decision="contraindicated"' in card and 'data-code="epilepsy"' in card
    assert 'data-testid="day-consent"' in card
    wart = html.split(f'data-appointment="{day_world["wart"].pk}"', 1)[1]
    assert 'data-testid="day-prerequisites"' in wart
    assert 'data-testid="session-dwell"' in html  # cryomassage: the dwell of its technique, calibrated or not


def test_an_admin_sees_everyone_or_one_practitioner(client, users, day_world):
    client.force_login(users["admin"])
    everyone = _cards(client.get(f"/en/staff/today/?date={day_world['day']}").content.decode())
    assert {str(day_world["mine"].pk), str(day_world["theirs"].pk)} <= set(everyone)
    one = day_world["theirs"].practitioner_id
    only = _cards(client.get(f"/en/staff/today/?date={day_world['day']}&practitioner={one}").content.decode())
    assert only == [str(day_world["theirs"].pk)]


def test_reception_and_clients_are_refused_and_a_bad_date_is_404(client, users, day_world):
    client.force_login(users["reception"])
    assert client.get("/en/staff/today/").status_code == 403
    client.force_login(users["practitioner"])
    assert client.get("/en/staff/today/?date=tomorrow").status_code == 404
    assert 'data-testid="day-empty"' in client.get("/en/staff/today/?date=2031-01-01").content.decode()


def test_viewing_the_day_is_audit_logged(client, users, day_world):
    from cryoclinic.accounts.models import AuditEvent

    client.force_login(users["practitioner"])
    client.get(f"/en/staff/today/?date={day_world['day']}")
    assert AuditEvent.objects.filter(subject_type="treatments.day", actor=users["practitioner"]).exists()
