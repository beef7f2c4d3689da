"""The session screen, events, tasks, outcomes and photo pages: who may do what, and errors without a 500."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cryoclinic.clients.models import Client
from cryoclinic.scheduling.models import Appointment
from cryoclinic.treatments import events, outcomes, services
from cryoclinic.treatments.models import AdverseEvent, OutcomeScore, SessionRecord

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _url(appointment, tail="session/"):
    return f"/en/staff/appointments/{appointment.pk}/{tail}"


def test_a_practitioner_opens_the_session_and_completion_is_refused_naming_items(
    client, appointment, practitioner_user
):
    client.force_login(practitioner_user)
    assert client.post(_url(appointment), {"action": "open"}).status_code == 302
    response = client.post(_url(appointment), {"action": "complete"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Thorough make-up removal" in body and "start time" in body and "aftercare issued" in body
    assert SessionRecord.objects.get().status == "draft"


def test_the_details_form_saves_and_shows_the_duration_warning(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    client.post(_url(appointment), {"action": "open"})
    response = client.post(_url(appointment), {
        "action": "details", "details-technique": "cotton_swab", "details-zones": ["forehead"],
        "details-started_at": "2026-11-25T10:00", "details-ended_at": "2026-11-25T10:30",
        "details-stages_done": ["makeup_removal"], "details-notes": "calm",
    })
    assert response.status_code == 302
    record = SessionRecord.objects.get()
    assert (record.technique, record.zones, record.stages_done) == ("cotton_swab", ["forehead"], ["makeup_removal"])
    page = client.get(_url(appointment)).content.decode()
    assert 'data-testid="duration-warning"' in page and "30 min" in page


def test_bad_details_are_a_form_error_not_a_500(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    client.post(_url(appointment), {"action": "open"})
    response = client.post(_url(appointment), {
        "action": "details", "details-technique": "laser", "details-started_at": "2026-11-25T10:30",
        "details-ended_at": "2026-11-25T10:00",
    })
    assert response.status_code == 422
    assert "must end after it starts" in response.content.decode()


def test_a_practitioner_runs_the_whole_session_through_the_pages(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    client.post(_url(appointment), {"action": "open"})
    answers = {f"{code}": "no" for code in (
        "herpes_exacerbation", "epilepsy", "cardiovascular_disease", "tuberculosis_open", "facial_skin_damage",
        "cold_intolerance", "rosacea", "recent_peeling")}
    preparation = {f"prep_{c}": "on" for c in ("no_peeling", "no_decorative_cosmetics", "cosmetologist_consultation")}
    assert client.post(_url(appointment, "session/rescreen/"), answers | preparation).status_code == 302
    client.post(_url(appointment), {
        "action": "details", "details-technique": "cotton_swab", "details-zones": ["forehead", "zygoma"],
        "details-started_at": "2026-11-25T10:00", "details-ended_at": "2026-11-25T10:15",
        "details-stages_done": ["makeup_removal", "coolant_along_massage_lines", "cream_or_mask"],
        "details-reactions": ["mild_redness"],
    })
    today = timezone.localdate().isoformat()
    assert client.post(_url(appointment), {
        "action": "reaction", "event-code": "mild_redness", "event-severity": "mild", "event-onset_on": today,
    }).status_code == 302
    client.post(_url(appointment), {"action": "aftercare", "language": "ru"})
    assert client.post(_url(appointment), {"action": "complete"}).status_code == 302
    assert SessionRecord.objects.get().status == "completed"
    assert Appointment.objects.get(pk=appointment.pk).status == "done"
    page = client.get(f"/en/staff/clients/{appointment.client_id}/procedures/facial-cryomassage/").content.decode()
    assert 'data-testid="client-adverse-events"' in page and "Mild redness" in page
    assert "Earlier adverse event on record" in page  # screening now asks for caution


def test_a_correction_through_the_page_keeps_both_versions(client, appointment, practitioner_user):
    record = services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user), by=practitioner_user
    )
    client.force_login(practitioner_user)
    response = client.post(_url(appointment, "session/correct/"), {
        "technique": record.technique, "zones": ["neck"], "started_at": "2026-11-25T10:00",
        "ended_at": "2026-11-25T10:15", "stages_done": record.stages_done, "reason": "wrong zone",
    })
    assert response.status_code == 302
    page = client.get(_url(appointment)).content.decode()
    assert "wrong zone" in page
    assert SessionRecord.objects.filter(appointment=appointment).count() == 2
    assert client.post(_url(appointment, "session/correct/"), {"zones": ["neck"]}).status_code == 422


def test_reception_views_the_session_but_cannot_record(client, appointment, make_user):
    client.force_login(make_user("reception"))
    assert client.get(_url(appointment)).status_code == 200
    assert client.post(_url(appointment), {"action": "open"}).status_code == 403
    assert not SessionRecord.objects.exists()


def test_tasks_page_lists_and_closes_a_due_follow_up(client, appointment, practitioner_user):
    day = timezone.localdate() - dt.timedelta(days=2)
    event = events.record_adverse_event(appointment.client, appointment.procedure, code="mild_swelling",
                                        severity="mild", onset_on=day, by=practitioner_user, today=day)
    client.force_login(practitioner_user)
    page = client.get("/en/staff/tasks/").content.decode()
    assert "has not resolved within 1 day" in page
    task = event.tasks.get()
    assert client.post("/en/staff/tasks/", {"task": task.pk}).status_code == 302
    task.refresh_from_db()
    assert task.done


def test_adverse_events_page_records_a_resolution_and_refuses_a_bad_one(client, appointment, practitioner_user):
    today = timezone.localdate()
    event = events.record_adverse_event(appointment.client, appointment.procedure, code="peeling",
                                        severity="moderate", onset_on=today, by=practitioner_user, today=today)
    client.force_login(practitioner_user)
    bad = client.post("/en/staff/adverse-events/", {"event": event.pk, "resolved_on": "2020-01-01"})
    assert bad.status_code == 422 and "before the onset" in bad.content.decode()
    good = client.post("/en/staff/adverse-events/", {"event": event.pk, "resolved_on": today.isoformat()})
    assert good.status_code == 302
    assert AdverseEvent.objects.get().resolved_on == today


def _photo_of(appointment):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="PNG")
    return outcomes.store_photo(outcomes.owner_of(appointment), "before",
                                SimpleUploadedFile("p.png", out.getvalue()), by=None)


def test_photo_access_staff_yes_owner_yes_other_client_404_anonymous_to_login(
    client, appointment, make_user, link_client
):
    photo = _photo_of(appointment)
    url = f"/en/photos/{photo.pk}/"
    assert client.get(url).status_code == 302 and "login" in client.get(url)["Location"]
    client.force_login(make_user("reception"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    owner = make_user("client", username="owner")
    link_client(appointment.client_id, owner)
    client.force_login(owner)
    assert client.get(url).status_code == 200
    other = make_user("client", username="other")
    link_client(Client.objects.create(full_name="Другая Клиентка", phone="+79160000001"), other)
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_a_bad_photo_upload_is_a_clear_form_error(client, appointment, practitioner_user):
    client.force_login(practitioner_user)
    response = client.post(_url(appointment, "outcomes/"), {
        "action": "photo", "photo-kind": "before", "photo-image": SimpleUploadedFile("x.jpg", b"not an image"),
    })
    assert response.status_code == 422 and "not a readable image" in response.content.decode()


def test_the_client_sees_and_scores_own_outcomes(client, appointment, practitioner_user, make_user, link_client):
    services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user), by=practitioner_user
    )
    _photo_of(appointment)
    owner = make_user("client", username="owner")
    link_client(appointment.client_id, owner)
    client.force_login(owner)
    page = client.get("/en/account/outcomes/").content.decode()
    assert "The facial skin is cleansed" in page and "/en/photos/" in page
    key = f"appointment-{appointment.pk}"
    assert client.post("/en/account/outcomes/", {"owner": key, f"{key}-smooth_even_skin": "2"}).status_code == 302
    score = OutcomeScore.objects.get()
    assert (score.scorer, score.score, score.scored_by) == ("client", 2, owner)
    assert client.post("/en/account/outcomes/", {"owner": key, f"{key}-smooth_even_skin": "9"}).status_code == 422


def test_the_session_screen_speaks_russian(client, appointment, practitioner_user):
    fill(services.open_session(appointment, by=practitioner_user), practitioner_user, minutes=25)
    client.force_login(practitioner_user)
    page = client.get(f"/ru/staff/appointments/{appointment.pk}/session/").content.decode()
    assert "Проверки перед процедурой" in page and "Сеанс длился 25 мин" in page
    assert "статья-источник" in page
