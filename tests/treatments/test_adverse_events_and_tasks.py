"""Adverse events: coded from the knowledge base, graded, followed up, and fed back into screening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.scheduling import services as scheduling
from cryoclinic.scheduling.planning import TimeWindow
from cryoclinic.screening.services import may_book
from cryoclinic.treatments import events, services
from cryoclinic.treatments.history import adverse_event_codes
from cryoclinic.treatments.models import FollowUpTask

from .conftest import fill

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)


def _report(appointment, by, **kw):
    values = {"code": "mild_redness", "severity": "mild", "onset_on": DAY, "today": DAY} | kw
    return events.record_adverse_event(
        appointment.client, appointment.procedure, appointment=appointment, by=by, **values
    )


def test_an_event_outside_the_procedures_side_effects_is_refused(appointment, practitioner_user):
    for kw, field in (
        ({"code": "pain"}, "code"),  # a cryodestruction side effect, not cryomassage's
        ({"code": "other"}, "description"),
        ({"severity": "grade 5"}, "severity"),
        ({"onset_on": DAY + dt.timedelta(days=1)}, "onset_on"),
        ({"resolved_on": DAY - dt.timedelta(days=1)}, "resolved_on"),
    ):
        with pytest.raises(events.EventError) as refused:
            _report(appointment, practitioner_user, **kw)
        assert refused.value.field == field
    assert not appointment.adverse_events.exists()


def test_other_with_a_description_is_accepted(appointment, practitioner_user):
    event = _report(appointment, practitioner_user, code="other", description="Headache after the session")
    assert event.description == "Headache after the session"


def test_a_reaction_unresolved_after_the_one_day_recovery_gets_a_follow_up(appointment, practitioner_user):
    event = _report(appointment, practitioner_user)
    assert events.create_due_tasks(DAY) == 0  # the day of onset: still within the recovery time
    assert events.create_due_tasks(DAY + dt.timedelta(days=1)) == 1
    task = FollowUpTask.objects.get()
    assert (task.kind, task.adverse_event, task.due_on, task.source) == (
        "reaction", event, DAY + dt.timedelta(days=1), "seed#precautions"
    )
    assert events.create_due_tasks(DAY + dt.timedelta(days=2)) == 0  # idempotent


def test_a_reaction_resolved_within_a_day_gets_no_follow_up(appointment, practitioner_user):
    event = _report(appointment, practitioner_user)
    events.resolve_event(event, DAY + dt.timedelta(days=1), by=practitioner_user, today=DAY + dt.timedelta(days=1))
    assert events.create_due_tasks(DAY + dt.timedelta(days=5)) == 0
    assert not FollowUpTask.objects.exists()


def test_a_late_report_of_a_lasting_reaction_creates_its_task_at_once(appointment, practitioner_user):
    _report(appointment, practitioner_user, today=DAY + dt.timedelta(days=3))
    assert FollowUpTask.objects.filter(kind="reaction").count() == 1


def test_resolving_a_reaction_closes_its_follow_up(appointment, practitioner_user):
    event = _report(appointment, practitioner_user)
    events.create_due_tasks(DAY + dt.timedelta(days=2))
    events.resolve_event(event, DAY + dt.timedelta(days=2), by=practitioner_user, today=DAY + dt.timedelta(days=2))
    assert FollowUpTask.objects.get().done
    with pytest.raises(events.EventError):
        events.resolve_event(event, DAY + dt.timedelta(days=2), by=practitioner_user, today=DAY + dt.timedelta(days=3))


def test_cryodestruction_completion_plans_wound_care_follow_ups_on_the_clinics_days(
    cryo_appointment, practitioner_user, settings
):
    settings.WOUND_CARE_FOLLOWUP_DAYS = [1, 7, 14]
    record = fill(services.open_session(cryo_appointment, by=practitioner_user), practitioner_user)
    services.complete_session(record, by=practitioner_user)
    tasks = FollowUpTask.objects.filter(kind="wound_care").order_by("due_on")
    day = timezone.localdate(record.ended_at)
    assert [t.due_on for t in tasks] == [day + dt.timedelta(days=d) for d in (1, 7, 14)]
    assert {t.source for t in tasks} == {events.WOUND_CARE_SOURCE}


def test_cryomassage_completion_plans_no_wound_care(appointment, practitioner_user):
    services.complete_session(
        fill(services.open_session(appointment, by=practitioner_user), practitioner_user), by=practitioner_user
    )
    assert not FollowUpTask.objects.exists()


def test_a_reaction_observed_at_the_session_must_be_reported_before_completion(appointment, practitioner_user):
    record = fill(services.open_session(appointment, by=practitioner_user), practitioner_user,
                  reactions=["mild_redness"])
    assert [i.code for i in services.missing_items(record)] == ["reaction:mild_redness"]
    _report(appointment, practitioner_user, today=timezone.localdate(), onset_on=timezone.localdate())
    services.complete_session(record, by=practitioner_user)


def test_reported_events_reach_may_book_as_caution(appointment, practitioner_user):
    _report(appointment, practitioner_user, code="cold_allergy", severity="moderate")
    codes = adverse_event_codes(appointment.client, "facial-cryomassage")
    assert codes == ["cold_allergy"]
    check = may_book(appointment.client, "facial-cryomassage", timezone.localdate(), adverse_event_codes=codes)
    assert check.allowed and check.decision == "caution"
    assert "adverse_event:cold_allergy" in [r.code for r in check.reasons]


def test_booking_a_course_screens_with_the_adverse_event_history(appointment, practitioner_user, monkeypatch):
    _report(appointment, practitioner_user, code="cold_allergy", severity="moderate")
    seen = {}
    real = scheduling.may_book

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(scheduling, "may_book", spy)
    today = timezone.localdate()
    scheduling.book_course(
        appointment.clinic,
        scheduling.PlanInput(
            client=appointment.client, procedure="facial-cryomassage",
            start=today + dt.timedelta(days=7 - today.weekday()),
            availability=tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6)),
        ),
        by=None,
    )
    assert seen["adverse_event_codes"] == ["cold_allergy"]


def test_a_task_is_done_once(appointment, practitioner_user):
    _report(appointment, practitioner_user, today=DAY + dt.timedelta(days=3))
    task = FollowUpTask.objects.get()
    events.complete_task(task, by=practitioner_user)
    assert task.done and task.done_by == practitioner_user
    with pytest.raises(events.EventError):
        events.complete_task(task, by=practitioner_user)


def test_the_daily_command_creates_due_tasks_and_alerts_the_clinic_once(appointment, practitioner_user, settings):
    from django.core.management import call_command

    from cryoclinic.notifications.models import OutboxMessage

    settings.CLINIC_ALERT_EMAIL = "clinic@example.com"
    day = timezone.localdate() - dt.timedelta(days=2)
    _report(appointment, practitioner_user, onset_on=day, today=day)
    call_command("treatment_tasks")
    call_command("treatment_tasks")
    task = FollowUpTask.objects.get()
    message = OutboxMessage.objects.get()
    assert (message.key, message.recipient, message.kind) == (
        f"follow-up-task:{task.pk}", "clinic@example.com", "follow_up_task"
    )


def test_reported_events_feed_the_adverse_events_report(appointment, practitioner_user):
    from cryoclinic.reports import queries
    from cryoclinic.reports.metrics import AdverseEventRecord, Period

    _report(appointment, practitioner_user)
    events.record_adverse_event(appointment.client, appointment.procedure, code="peeling", severity="mild",
                                onset_on=DAY, by=practitioner_user, today=DAY)  # no appointment: not attributed
    found = queries.adverse_event_records(appointment.clinic, Period(DAY, DAY))
    assert found == [AdverseEventRecord("Анна Морозова", "mild_redness", DAY)]
    later = Period(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2))
    assert queries.adverse_event_records(appointment.clinic, later) == []
