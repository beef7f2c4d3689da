"""Session records: required items, completion, versioned corrections, duration warning, re-screening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client, ImmutableRecordError
from cryoclinic.scheduling.models import Appointment
from cryoclinic.treatments import services
from cryoclinic.treatments.models import SessionRecord

from .conftest import clear_answers, fill, make_appointment

pytestmark = pytest.mark.django_db


def test_completion_is_refused_naming_every_missing_item(appointment, practitioner_user):
    record = services.open_session(appointment, by=practitioner_user)
    with pytest.raises(services.IncompleteSession) as refused:
        services.complete_session(record, by=practitioner_user)
    codes = {item.code for item in refused.value.missing}
    assert {"rescreen", "technique", "zones", "started_at", "ended_at", "aftercare"} <= codes
    assert {"stage:makeup_removal", "stage:coolant_along_massage_lines", "stage:cream_or_mask"} <= codes
    assert "Thorough make-up removal" in str(refused.value)
    record.refresh_from_db()
    assert record.status == "draft"
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_unconfirmed_preparation_items_from_the_knowledge_base_block_completion(appointment, practitioner_user):
    record = fill(services.open_session(appointment, by=practitioner_user), practitioner_user)
    services.rescreen(
        record, clear_answers("facial-cryomassage"), by=practitioner_user, today=timezone.localdate(),
        preparation_confirmed=["no_decorative_cosmetics"],
    )
    missing = {item.code for item in services.missing_items(record)}
    assert missing == {"preparation:no_peeling", "preparation:cosmetologist_consultation"}


def test_a_complete_session_completes_and_marks_the_appointment_done(appointment, practitioner_user):
    record = fill(services.open_session(appointment, by=practitioner_user), practitioner_user)
    assert services.missing_items(record) == []
    services.complete_session(record, by=practitioner_user)
    assert SessionRecord.objects.get(pk=record.pk).status == "completed"
    assert Appointment.objects.get(pk=appointment.pk).status == "done"
    actions = set(AuditEvent.objects.filter(subject_type="treatments.sessionrecord").values_list("action", flat=True))
    assert {"create", "change", "complete"} <= actions


def test_a_completed_record_is_never_edited_in_place(appointment, practitioner_user):
    record = services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user), by=practitioner_user
    )
    with pytest.raises(services.SessionError) as refused:
        services.update_session(record, {"notes": "changed"}, by=practitioner_user)
    assert refused.value.field == "status"
    record.notes = "sneaky"
    with pytest.raises(ImmutableRecordError):
        record.save()


def test_a_correction_is_a_new_version_and_keeps_the_original(appointment, practitioner_user, make_user):
    original = services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user, notes="first"),
        by=practitioner_user,
    )
    admin = make_user("admin", username="chief")
    corrected = services.correct_session(
        original, {"zones": ["forehead", "neck"]}, reason="Neck was treated too", by=admin
    )
    assert (corrected.version, corrected.supersedes_id, corrected.status) == (2, original.pk, "completed")
    assert (corrected.completed_by, corrected.correction_reason) == (admin, "Neck was treated too")
    assert corrected.zones == ["forehead", "neck"] and corrected.notes == "first"
    kept = SessionRecord.objects.get(pk=original.pk)
    assert kept.zones == ["forehead", "zygoma"] and kept.status == "completed"
    assert [r.version for r in services.versions(appointment)] == [2, 1]
    assert services.current_record(appointment) == corrected


def test_a_correction_needs_a_reason_and_the_latest_version(appointment, practitioner_user):
    original = services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user), by=practitioner_user
    )
    with pytest.raises(services.SessionError) as refused:
        services.correct_session(original, {"notes": "x"}, reason=" ", by=practitioner_user)
    assert refused.value.field == "reason"
    services.correct_session(original, {"notes": "x"}, reason="typo", by=practitioner_user)
    with pytest.raises(services.SessionError) as refused:
        services.correct_session(original, {"notes": "y"}, reason="again", by=practitioner_user)
    assert refused.value.field == "version"


def test_a_correction_cannot_remove_a_required_item(appointment, practitioner_user):
    original = services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user), by=practitioner_user
    )
    with pytest.raises(services.IncompleteSession):
        services.correct_session(original, {"zones": []}, reason="oops", by=practitioner_user)
    assert SessionRecord.objects.filter(appointment=appointment).count() == 1


def test_a_duration_outside_the_knowledge_base_range_warns_citing_it(appointment, practitioner_user):
    record = fill(services.open_session(appointment, by=practitioner_user), practitioner_user, minutes=25)
    warning = services.duration_warning(record)
    assert warning is not None and "25 min" in warning and "10–20" in warning
    assert "Course duration" in warning
    assert services.missing_items(record) == []  # a warning, not a block


def test_a_duration_inside_the_range_gives_no_warning(appointment, practitioner_user):
    record = fill(services.open_session(appointment, by=practitioner_user), practitioner_user, minutes=15)
    assert services.duration_warning(record) is None


def test_re_screening_at_the_session_refuses_a_contraindicated_client(appointment, practitioner_user):
    record = fill(services.open_session(appointment, by=practitioner_user), practitioner_user)
    intake = services.rescreen(
        record, clear_answers("facial-cryomassage") | {"epilepsy": True}, by=practitioner_user,
        today=timezone.localdate(), preparation_confirmed=["no_peeling", "no_decorative_cosmetics",
                                                           "cosmetologist_consultation"],
    )
    assert intake.decision == "contraindicated"
    with pytest.raises(services.IncompleteSession) as refused:
        services.complete_session(record, by=practitioner_user)
    assert [item.code for item in refused.value.missing] == ["rescreen"]
    assert "Epilepsy" in str(refused.value)


def test_missing_consent_blocks_completion(demo, practitioner_user):
    stranger = Client.objects.create(full_name="Без Согласия", phone="+79160000000")
    record = fill(services.open_session(make_appointment(stranger), by=practitioner_user), practitioner_user)
    assert [item.code for item in services.missing_items(record)] == ["consent"]


def test_unknown_codes_and_impossible_times_are_refused_naming_the_field(appointment, practitioner_user):
    record = services.open_session(appointment, by=practitioner_user)
    now = timezone.now()
    for details, field in (
        ({"technique": "laser"}, "technique"),
        ({"zones": ["elbow"]}, "zones"),
        ({"stages_done": ["freezing"]}, "stages_done"),
        ({"reactions": ["pain"]}, "reactions"),
        ({"started_at": now, "ended_at": now - dt.timedelta(minutes=1)}, "ended_at"),
    ):
        with pytest.raises(services.SessionError) as refused:
            services.update_session(record, details, by=practitioner_user)
        assert refused.value.field == field
    with pytest.raises(services.SessionError) as refused:
        services.issue_aftercare(record, "de", by=practitioner_user)
    assert refused.value.field == "language"


def test_a_cancelled_appointment_cannot_be_run(appointment, practitioner_user):
    appointment.status = Appointment.Status.CANCELLED
    appointment.save()
    with pytest.raises(services.SessionError) as refused:
        services.open_session(appointment, by=practitioner_user)
    assert refused.value.field == "appointment"


def test_aftercare_is_recorded_as_given_with_who_when_and_language(appointment, practitioner_user):
    record = services.open_session(appointment, by=practitioner_user)
    services.issue_aftercare(record, "en", by=practitioner_user)
    record.refresh_from_db()
    assert (record.aftercare_language, record.aftercare_given_by) == ("en", practitioner_user)
    assert record.aftercare_given_at is not None


def test_cryodestruction_needs_the_lesion_site_and_size(cryo_appointment, practitioner_user):
    record = fill(services.open_session(cryo_appointment, by=practitioner_user), practitioner_user)
    assert services.missing_items(record) == []
    services.update_session(record, {"lesion_site": "", "lesion_size_mm": None}, by=practitioner_user)
    assert {i.code for i in services.missing_items(record)} == {"lesion_site", "lesion_size_mm"}
