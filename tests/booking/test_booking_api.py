"""Online booking over the API, step by step, with the same rules as every other path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.booking.models import ConsentCode, OnlineIntake, SignedConsent
from cryoclinic.clients.models import Client, ConsentRecord, IntakeRecord
from cryoclinic.scheduling.models import Absence, Appointment, Course, Practitioner, Room

from .conftest import MASSAGE, NO, last_code, monday, post

pytestmark = pytest.mark.django_db


def _screened(client, clinic_id: int, answers: dict[str, bool] = NO) -> dict:
    response = post(client, f"/api/booking/{clinic_id}/intake", {"procedure": MASSAGE, "answers": answers})
    assert response.status_code == 201, response.content
    return response.json()


def _signed(client, clinic_id: int) -> dict:
    sent = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "ru"})
    assert sent.status_code == 201, sent.content
    signed = post(client, f"/api/booking/{clinic_id}/consents", {"code_id": sent.json()["code_id"],
                                                                  "code": last_code()})
    assert signed.status_code == 201, signed.content
    return signed.json()


def _choice(**extra) -> dict:
    return {"procedure": MASSAGE, "start": monday().isoformat(), "time": "18:00", "whole_course": True, **extra}


def _proposal(client, clinic_id: int, **extra) -> list[str]:
    plan = post(client, f"/api/booking/{clinic_id}/plan", _choice(**extra))
    assert plan.status_code == 200 and plan.json()["ok"], plan.content
    return [s["start"] for s in plan.json()["sessions"]]


def test_a_newcomer_books_a_whole_course_online(client, newcomer, clinic_id):
    client.force_login(newcomer)
    screened = _screened(client, clinic_id)
    assert screened["decision"] == "eligible" and screened["online"] and screened["bookable"]
    record = Client.objects.get(user=newcomer)  # created on the first step, with the verified phone
    assert record.phone == "+79161234567" and record.full_name == "Вера Новикова"
    assert OnlineIntake.objects.filter(intake__client=record).count() == 1
    signed = _signed(client, clinic_id)
    assert signed["language"] == "ru" and len(signed["document_sha256"]) == 64
    starts = _proposal(client, clinic_id)
    assert len(starts) == 10
    booked = post(client, f"/api/booking/{clinic_id}/courses", _choice(sessions=starts))
    assert booked.status_code == 201, booked.content
    body = booked.json()
    assert body["status"] == "active" and not body["requested"] and len(body["sessions"]) == 10
    assert body["next"] == f"/en/book/done/{body['course']}/" or body["next"].endswith(f"/book/done/{body['course']}/")
    assert all(dt.datetime.fromisoformat(s["start"]).astimezone(dt.timezone(dt.timedelta(hours=3))).hour == 18
               for s in body["sessions"])


def test_one_session_can_be_booked_alone(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    _signed(client, clinic_id)
    starts = _proposal(client, clinic_id, whole_course=False)
    booked = post(client, f"/api/booking/{clinic_id}/courses", _choice(whole_course=False, sessions=starts))
    assert booked.status_code == 201 and len(booked.json()["sessions"]) == 1


def test_a_signed_consent_keeps_what_was_signed_in_which_language_and_when(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    before = timezone.now()
    _signed(client, clinic_id)
    signature = SignedConsent.objects.get()
    assert signature.language == "ru" and signature.channel == "sms" and signature.destination == "+79161234567"
    assert "согласие" in signature.document_html.lower() and signature.signed_at >= before
    assert signature.consent.knowledge_version == signature.knowledge_version
    assert ConsentCode.objects.get().code_hash not in signature.document_html


def test_a_wrong_code_is_refused_and_signs_nothing(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    sent = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "en"})
    wrong = "000000" if last_code() != "000000" else "111111"
    response = post(client, f"/api/booking/{clinic_id}/consents", {"code_id": sent.json()["code_id"], "code": wrong})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "code"
    assert not ConsentRecord.objects.filter(client__user=newcomer).exists() and not SignedConsent.objects.exists()


def test_an_expired_code_is_refused(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    sent = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "ru"})
    ConsentCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1),
                               created_at=timezone.now() - dt.timedelta(minutes=11))
    response = post(client, f"/api/booking/{clinic_id}/consents", {"code_id": sent.json()["code_id"],
                                                                    "code": last_code()})
    assert response.status_code == 422 and "expired" in response.json()["errors"][0]["message"]
    assert not ConsentRecord.objects.filter(client__user=newcomer).exists()


def test_a_used_code_cannot_sign_again(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    sent = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "ru"})
    body = {"code_id": sent.json()["code_id"], "code": last_code()}
    assert post(client, f"/api/booking/{clinic_id}/consents", body).status_code == 201
    again = post(client, f"/api/booking/{clinic_id}/consents", body)
    assert again.status_code == 422 and "already been used" in again.json()["errors"][0]["message"]
    assert ConsentRecord.objects.filter(client__user=newcomer).count() == 1


def test_guessing_stops_after_five_wrong_codes(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    sent = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "ru"})
    right = last_code()
    for _ in range(5):
        post(client, f"/api/booking/{clinic_id}/consents", {"code_id": sent.json()["code_id"], "code": "x" + right})
    response = post(client, f"/api/booking/{clinic_id}/consents", {"code_id": sent.json()["code_id"], "code": right})
    assert response.status_code == 422 and "Too many" in response.json()["errors"][0]["message"]


def test_without_a_verified_contact_no_code_is_sent(client, newcomer, clinic_id):
    newcomer.phone_number.delete()
    client.force_login(newcomer)
    _screened(client, clinic_id)
    response = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "ru"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "contact"
    assert not ConsentCode.objects.exists()


def test_contraindicated_answers_book_nothing_and_say_see_a_doctor(client, newcomer, clinic_id):
    client.force_login(newcomer)
    screened = _screened(client, clinic_id, NO | {"epilepsy": True})
    assert screened["decision"] == "contraindicated" and not screened["bookable"]
    assert "see a doctor" in screened["advice"]
    assert any(r["code"] == "epilepsy" and r["source"] == "seed#contraindications" for r in screened["reasons"])
    refused = post(client, f"/api/booking/{clinic_id}/consent-codes", {"procedure": MASSAGE, "language": "ru"})
    assert refused.status_code == 422 and "epilepsy (seed#contraindications)" in refused.json()["errors"][0]["message"]
    booked = post(client, f"/api/booking/{clinic_id}/courses", _choice(sessions=[timezone.now().isoformat()]))
    assert booked.status_code == 422 and "epilepsy (seed#contraindications)" in booked.json()["errors"][0]["message"]
    assert not Course.objects.exists() or not Course.objects.filter(client__user=newcomer).exists()


def test_caution_makes_a_request_the_clinic_confirms(client, newcomer, clinic_id):
    client.force_login(newcomer)
    assert _screened(client, clinic_id, NO | {"rosacea": True})["decision"] == "caution"
    _signed(client, clinic_id)
    booked = post(client, f"/api/booking/{clinic_id}/courses", _choice(sessions=_proposal(client, clinic_id)))
    assert booked.status_code == 201 and booked.json()["requested"] and booked.json()["status"] == "requested"
    course = Course.objects.get(pk=booked.json()["course"])
    assert set(course.appointments.values_list("status", flat=True)) == {Appointment.Status.REQUESTED}


def test_times_taken_meanwhile_are_a_409_offering_the_next_free_time(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    _signed(client, clinic_id)
    starts = _proposal(client, clinic_id, whole_course=False)
    first = dt.datetime.fromisoformat(starts[0])
    other = Client.objects.exclude(user=newcomer).order_by("id").first()
    end = first + dt.timedelta(minutes=20)
    practitioners = list(Practitioner.objects.order_by("id"))
    Appointment.objects.create(client=other, procedure=MASSAGE, practitioner=practitioners[0],
                               room=Room.objects.order_by("id").first(), starts_at=first, ends_at=end)
    for practitioner in practitioners[1:]:  # meanwhile that time is booked, and the others are away then
        Absence.objects.create(practitioner=practitioner, starts_at=first, ends_at=end)
    taken_before = Appointment.objects.count()
    response = post(client, f"/api/booking/{clinic_id}/courses", _choice(whole_course=False, sessions=starts))
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["field"] == "sessions" and "next free time is" in error["message"]
    assert Appointment.objects.count() == taken_before


def test_a_second_online_course_is_refused_by_the_one_course_rule(client, newcomer, clinic_id):
    client.force_login(newcomer)
    _screened(client, clinic_id)
    _signed(client, clinic_id)
    first = post(client, f"/api/booking/{clinic_id}/courses", _choice(sessions=_proposal(client, clinic_id)))
    assert first.status_code == 201
    starts = _proposal(client, clinic_id, time="10:00")
    again = post(client, f"/api/booking/{clinic_id}/courses", _choice(time="10:00", sessions=starts))
    assert again.status_code == 409 and "one_course_at_a_time" in again.json()["errors"][0]["message"]


def test_unanswered_questions_are_named_and_nothing_is_recorded(client, newcomer, clinic_id):
    client.force_login(newcomer)
    partial = {k: v for k, v in NO.items() if k != "epilepsy"}
    response = post(client, f"/api/booking/{clinic_id}/intake", {"procedure": MASSAGE, "answers": partial})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "answers.epilepsy"
    assert not IntakeRecord.objects.filter(client__user=newcomer).exists()
    assert not Client.objects.filter(user=newcomer).exists()


def test_an_unknown_clinic_or_procedure_not_offered_is_a_404(client, newcomer, clinic_id):
    client.force_login(newcomer)
    assert post(client, "/api/booking/987654/intake", {"procedure": MASSAGE, "answers": NO}).status_code == 404
    response = post(client, f"/api/booking/{clinic_id}/intake", {"procedure": "cryodestruction", "answers": {}})
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "procedure"


def test_booking_needs_a_signed_in_person(client, clinic_id):
    assert post(client, f"/api/booking/{clinic_id}/intake", {"procedure": MASSAGE, "answers": NO}).status_code == 401


def test_an_existing_record_with_the_verified_phone_is_linked_not_duplicated(client, newcomer, clinic_id):
    record = Client.objects.create(full_name="Вера Н.", phone="+79161234567")
    client.force_login(newcomer)
    _screened(client, clinic_id)
    record.refresh_from_db()
    assert record.user == newcomer and Client.objects.filter(phone="+79161234567").count() == 1
