"""Intake, prerequisite and consent records, and `may_book`: the check every booking goes through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from cryoclinic.clients.models import Client, ImmutableRecordError, IntakeRecord
from cryoclinic.knowledge.loader import knowledge_base
from cryoclinic.screening.services import (
    RecordError,
    may_book,
    record_consent,
    record_intake,
    record_prerequisite,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)
MASSAGE = knowledge_base().procedures["facial-cryomassage"]
CRYO = knowledge_base().procedures["cryodestruction"]


def clear(procedure=MASSAGE) -> dict[str, bool]:
    return {c.code: False for c in procedure.contraindications}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_() -> Client:
    return Client.objects.create(full_name="Мария Зимина", phone="+79123456789")


def test_no_intake_means_not_bookable_and_says_so(client_):
    check = may_book(client_, "facial-cryomassage", TODAY)
    assert not check.allowed
    assert "intake questionnaire" in check.message


def test_clear_intake_with_consent_is_bookable(client_):
    record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY)
    record_consent(client_, "facial-cryomassage", language="ru", signed_on=TODAY, by=None, today=TODAY)
    check = may_book(client_, "facial-cryomassage", TODAY)
    assert (check.allowed, check.decision, check.message) == (True, "eligible", "")


def test_missing_consent_blocks_booking(client_):
    record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY)
    check = may_book(client_, "facial-cryomassage", TODAY)
    assert not check.allowed and check.missing_consent
    assert "consent" in check.message


def test_absolute_contraindication_blocks_booking_with_its_reason(client_):
    record_intake(client_, "facial-cryomassage", clear() | {"epilepsy": True}, by=None, today=TODAY)
    record_consent(client_, "facial-cryomassage", language="en", signed_on=TODAY, by=None, today=TODAY)
    check = may_book(client_, "facial-cryomassage", TODAY)
    assert not check.allowed and check.decision == "contraindicated"
    assert [r.code for r in check.reasons] == ["epilepsy"]


def test_rosacea_is_bookable_with_caution(client_):
    record_intake(client_, "facial-cryomassage", clear() | {"rosacea": True}, by=None, today=TODAY)
    record_consent(client_, "facial-cryomassage", language="ru", signed_on=TODAY, by=None, today=TODAY)
    check = may_book(client_, "facial-cryomassage", TODAY)
    assert check.allowed and check.decision == "caution"


def test_cryodestruction_is_bookable_only_once_every_required_prerequisite_is_recorded(client_):
    record_intake(client_, "cryodestruction", clear(CRYO), by=None, today=TODAY)
    record_consent(client_, "cryodestruction", language="ru", signed_on=TODAY, by=None, today=TODAY)
    required = [p.code for p in CRYO.preparation.prerequisites if p.required == "always"]
    check = may_book(client_, "cryodestruction", TODAY)
    assert not check.allowed and set(check.missing_prerequisites) == set(required)
    for code in required[:-1]:
        record_prerequisite(client_, "cryodestruction", code, TODAY, by=None, today=TODAY)
    assert may_book(client_, "cryodestruction", TODAY).missing_prerequisites == (required[-1],)
    record_prerequisite(client_, "cryodestruction", required[-1], TODAY, by=None, today=TODAY)
    assert may_book(client_, "cryodestruction", TODAY).allowed


def test_repeat_course_too_soon_gives_the_earliest_date(client_):
    record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY)
    record_consent(client_, "facial-cryomassage", language="ru", signed_on=TODAY, by=None, today=TODAY)
    check = may_book(client_, "facial-cryomassage", TODAY, last_course_end=dt.date(2026, 9, 1))
    assert not check.allowed and check.next_eligible_date == dt.date(2027, 3, 1)
    assert "2027-03-01" in check.message


def test_earlier_adverse_event_gives_caution_but_stays_bookable(client_):
    record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY)
    record_consent(client_, "facial-cryomassage", language="ru", signed_on=TODAY, by=None, today=TODAY)
    check = may_book(client_, "facial-cryomassage", TODAY, adverse_event_codes=["cold_allergy"])
    assert check.allowed and check.decision == "caution"


def test_the_latest_intake_counts_and_earlier_ones_are_kept(client_):
    record_intake(client_, "facial-cryomassage", clear() | {"herpes_exacerbation": True}, by=None, today=TODAY)
    record_consent(client_, "facial-cryomassage", language="ru", signed_on=TODAY, by=None, today=TODAY)
    assert may_book(client_, "facial-cryomassage", TODAY).decision == "postpone"
    record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY + dt.timedelta(days=10))
    assert may_book(client_, "facial-cryomassage", TODAY + dt.timedelta(days=10)).allowed
    assert IntakeRecord.objects.filter(client=client_).count() == 2


def test_an_intake_stores_its_knowledge_version_and_decision(client_):
    intake = record_intake(client_, "facial-cryomassage", clear() | {"rosacea": True}, by=None, today=TODAY)
    assert intake.knowledge_version == MASSAGE.version
    assert intake.decision == "caution"
    assert intake.reasons[0]["code"] == "rosacea" and intake.reasons[0]["source"].startswith("seed#")


def test_records_cannot_be_changed_or_deleted(client_):
    intake = record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY)
    intake.decision = "eligible"
    with pytest.raises(ImmutableRecordError):
        intake.save()
    with pytest.raises(ImmutableRecordError):
        intake.delete()


def test_bad_records_are_refused_naming_the_field(client_):
    with pytest.raises(RecordError) as err:
        record_prerequisite(client_, "cryodestruction", "astrology", TODAY, by=None, today=TODAY)
    assert err.value.field == "code"
    with pytest.raises(RecordError) as err:
        record_prerequisite(
            client_, "cryodestruction", "dermatologist_consultation", TODAY + dt.timedelta(days=1), by=None, today=TODAY
        )
    assert err.value.field == "done_on"
    with pytest.raises(RecordError) as err:
        record_consent(client_, "cryodestruction", language="de", signed_on=TODAY, by=None, today=TODAY)
    assert err.value.field == "language"
    with pytest.raises(RecordError) as err:
        record_intake(client_, "facial-cryomassage", clear(), by=None, today=TODAY, preparation_confirmed=["x"])
    assert err.value.field == "preparation_confirmed"
