"""The online booking wizard in the browser's terms: pages, forms, refusals, in Russian and English."""

from __future__ import annotations

import pytest

from cryoclinic.booking.models import SignedConsent
from cryoclinic.clients.models import Client
from cryoclinic.directory.models import Salon
from cryoclinic.scheduling.models import Appointment, Course

from .conftest import MASSAGE, NO, last_code, monday

pytestmark = pytest.mark.django_db


def _url(clinic_id: int, step: str = "", lang: str = "en") -> str:
    return f"/{lang}/book/{clinic_id}/{MASSAGE}/{step + '/' if step else ''}"


def _answers(**yes: bool) -> dict[str, str]:
    return {code: "yes" if yes.get(code) else "no" for code in NO}


def _through_consent(client, clinic_id: int) -> None:
    client.post(_url(clinic_id), _answers())
    sent = client.post(_url(clinic_id, "consent"), {"action": "send", "language": "en"})
    code_id = sent.context["code_form"].initial["code_id"]
    signed = client.post(_url(clinic_id, "consent"), {"action": "sign", "code_id": code_id, "code": last_code()})
    assert signed.status_code == 302 and signed["Location"].endswith("/time/")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_anonymous_visitors_are_shown_sign_up_and_sign_in(client, clinic_id, lang):
    html = client.get(_url(clinic_id, lang=lang)).content.decode()
    assert f'href="/{lang}/accounts/signup/?next=' in html and "login" in html
    assert 'data-testid="intake-form"' not in html


def test_the_whole_journey_books_a_course_and_ends_on_booking_done(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _through_consent(client, clinic_id)
    proposal = client.get(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00",
                                                   "whole_course": "1"})
    plan = proposal.context["plan"]
    assert proposal.status_code == 200 and len(plan.sessions) == 10
    booked = client.post(_url(clinic_id, "time"), {
        "start": monday().isoformat(), "time": "18:00", "whole_course": "1",
        "sessions": ",".join(s.start.isoformat() for s in plan.sessions)})
    course = Course.objects.get(client__user=newcomer)
    assert booked.status_code == 302 and booked["Location"] == f"/en/book/done/{course.pk}/"
    done = client.get(booked["Location"])
    assert done.status_code == 200 and 'data-status="active"' in done.content.decode()
    assert SignedConsent.objects.filter(consent__client__user=newcomer).count() == 1


def test_contraindicated_shows_the_reason_and_see_a_doctor_and_no_way_on(client, newcomer, clinic_id):
    client.force_login(newcomer)
    html = client.post(_url(clinic_id), _answers(epilepsy=True)).content.decode()
    assert 'data-decision="contraindicated"' in html and 'data-testid="see-a-doctor"' in html
    assert 'data-testid="to-consent"' not in html and 'data-testid="to-time"' not in html


def test_a_refused_booking_page_names_the_rule_and_its_source(client, newcomer, clinic_id):
    client.force_login(newcomer)
    client.post(_url(clinic_id), _answers(epilepsy=True))
    response = client.post(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00",
                                                    "whole_course": "1", "sessions": "2030-01-07T18:00:00+03:00"})
    assert response.status_code == 422
    assert "epilepsy (seed#contraindications)" in response.content.decode()
    assert not Course.objects.filter(client__user=newcomer).exists()


def test_an_unanswered_question_is_a_422_naming_it(client, newcomer, clinic_id):
    client.force_login(newcomer)
    answers = _answers()
    del answers["epilepsy"]
    response = client.post(_url(clinic_id), answers)
    assert response.status_code == 422 and "Please answer this question." in response.content.decode()
    assert not Client.objects.filter(user=newcomer).exists()


def test_a_wrong_code_on_the_page_is_a_422_and_signs_nothing(client, newcomer, clinic_id):
    client.force_login(newcomer)
    client.post(_url(clinic_id), _answers())
    code_id = client.post(_url(clinic_id, "consent"), {"action": "send"}).context["code_form"].initial["code_id"]
    response = client.post(_url(clinic_id, "consent"), {"action": "sign", "code_id": code_id, "code": "wrong1"})
    assert response.status_code == 422 and 'data-testid="booking-error"' in response.content.decode()
    assert not SignedConsent.objects.exists()


def test_times_taken_meanwhile_show_a_409_with_the_next_free_proposal(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _through_consent(client, clinic_id)
    seen = "2030-01-07T18:00:00+03:00"  # not what the planner proposes now
    response = client.post(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00",
                                                    "whole_course": "0", "sessions": seen})
    assert response.status_code == 409 and 'data-testid="proposal"' in response.content.decode()
    assert not Appointment.objects.filter(client__user=newcomer).exists()


def test_a_caution_request_is_confirmed_on_the_staff_page(client, newcomer, clinic_id, users):
    client.force_login(newcomer)
    _through_consent(client, clinic_id)
    client.post(_url(clinic_id), _answers(rosacea=True))  # answered again, now with rosacea: caution
    plan = client.get(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00",
                                               "whole_course": "1"}).context["plan"]
    client.post(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00", "whole_course": "1",
                                          "sessions": ",".join(s.start.isoformat() for s in plan.sessions)})
    course = Course.objects.get(client__user=newcomer)
    assert course.status == Course.Status.REQUESTED
    client.force_login(users["reception"])
    page = client.get("/en/staff/booking-requests/").content.decode()
    assert f'data-course="{course.pk}"' in page and 'data-testid="online-mark"' in page
    assert client.post("/en/staff/booking-requests/", {"course": course.pk, "decision": "confirm"}).status_code == 302
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE
    assert set(course.appointments.values_list("status", flat=True)) == {Appointment.Status.BOOKED}


def test_declining_needs_a_reason_and_frees_the_times(client, newcomer, clinic_id, users):
    client.force_login(newcomer)
    _through_consent(client, clinic_id)
    client.post(_url(clinic_id), _answers(rosacea=True))
    plan = client.get(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00",
                                               "whole_course": "0"}).context["plan"]
    client.post(_url(clinic_id, "time"), {"start": monday().isoformat(), "time": "18:00", "whole_course": "0",
                                          "sessions": plan.sessions[0].start.isoformat()})
    course = Course.objects.get(client__user=newcomer)
    client.force_login(users["reception"])
    assert client.post("/en/staff/booking-requests/", {"course": course.pk, "decision": "decline"}).status_code == 422
    client.post("/en/staff/booking-requests/", {"course": course.pk, "decision": "decline", "reason": "see a doctor"})
    course.refresh_from_db()
    assert course.status == Course.Status.CANCELLED and course.cancel_reason == "see a doctor"
    assert set(course.appointments.values_list("status", flat=True)) == {Appointment.Status.CANCELLED}


def test_a_practitioner_sees_requests_but_may_not_decide(client, users):
    client.force_login(users["practitioner"])
    assert client.get("/en/staff/booking-requests/").status_code == 200
    assert client.post("/en/staff/booking-requests/", {"course": 1, "decision": "confirm"}).status_code == 403


def test_the_salon_and_procedure_pages_link_to_online_booking(client, clinic_id):
    salon = Salon.objects.filter(clinic_id=clinic_id).first()
    assert f"/en/book/{clinic_id}/{MASSAGE}/" in client.get(f"/en/directory/salons/{salon.pk}/").content.decode()
    assert f"/ru/book/{clinic_id}/{MASSAGE}/" in client.get(f"/ru/procedures/{MASSAGE}/").content.decode()


def test_someone_elses_booking_done_page_is_a_404(client, newcomer, users):
    client.force_login(newcomer)
    other = Course.objects.create(client=Client.objects.order_by("id").first(), procedure=MASSAGE, rules={},
                                  knowledge_version="1")
    assert client.get(f"/en/book/done/{other.pk}/").status_code == 404


def test_booking_pages_speak_russian(client, newcomer, clinic_id):
    client.force_login(newcomer)
    html = client.get(_url(clinic_id, lang="ru")).content.decode()
    assert "Записаться онлайн" in html and "Анкета" in html




def test_the_clinic_sees_the_online_intake_marked_for_re_screening(client, newcomer, clinic_id, users):
    client.force_login(newcomer)
    client.post(_url(clinic_id), _answers())
    record = Client.objects.get(user=newcomer)
    client.force_login(users["practitioner"])
    for page in (f"/en/staff/clients/{record.pk}/", f"/en/staff/clients/{record.pk}/procedures/{MASSAGE}/"):
        assert 'data-testid="online-intake"' in client.get(page).content.decode()
