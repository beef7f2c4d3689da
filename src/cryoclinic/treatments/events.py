"""Adverse events and follow-up tasks: reporting, resolving, and the tasks the knowledge base's rules call for.

- A reaction still unresolved `course.recovery_days` after its onset (one day for cryomassage, seed#precautions)
  gets a follow-up task. `create_due_tasks` runs from `manage.py treatment_tasks` (a scheduler) and when the
  task list opens; reporting an event that is already overdue creates its task at once.
- After neoplasm removal (cryodestruction) the wound needs care until it has healed (seed#possible-consequences);
  the source gives no days, so the check-ups fall on the clinic's `WOUND_CARE_FOLLOWUP_DAYS`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cryoclinic.accounts import audit
from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import for_each_clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.notifications.models import Channel
from cryoclinic.notifications.services import alert_recipient, enqueue
from cryoclinic.scheduling.models import Appointment

from .models import OTHER_CODE, SEVERITY_CHOICES, AdverseEvent, FollowUpTask, SessionRecord

WOUND_CARE_SOURCE = "clinic:settings.WOUND_CARE_FOLLOWUP_DAYS"


class EventError(ValueError):
    """The event or task cannot be written as given; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def side_effect_codes(procedure_slug: str) -> list[str]:
    return [item.code for item in knowledge.get_procedure(procedure_slug).side_effects]


@transaction.atomic
def record_adverse_event(
    client: Client,
    procedure_slug: str,
    *,
    code: str,
    severity: str,
    onset_on: dt.date,
    by: User | None,
    today: dt.date,
    description: str = "",
    resolved_on: dt.date | None = None,
    appointment: Appointment | None = None,
) -> AdverseEvent:
    """Report a reaction coded by the procedure's side effects (or `other` with a description)."""
    known = side_effect_codes(procedure_slug)
    if code != OTHER_CODE and code not in known:
        raise EventError("code", f"{code!r} is not a side effect of this procedure; use one of "
                                 f"{', '.join([*known, OTHER_CODE])}.")
    if code == OTHER_CODE and not description.strip():
        raise EventError("description", "Describe the event when its code is 'other'.")
    if severity not in dict(SEVERITY_CHOICES):
        raise EventError("severity", "Severity is mild, moderate or severe.")
    if onset_on > today:
        raise EventError("onset_on", "The onset cannot be in the future.")
    _check_resolution(onset_on, resolved_on, today)
    if appointment is not None and (appointment.client_id != client.pk or appointment.procedure != procedure_slug):
        raise EventError("appointment", "The appointment belongs to another client or procedure.")
    event = AdverseEvent.objects.create(
        client=client, procedure=procedure_slug, appointment=appointment, code=code, description=description.strip(),
        severity=severity, onset_on=onset_on, resolved_on=resolved_on, reported_by=by,
    )
    audit.record(by, "create", event, detail=f"adverse event {code} ({severity})")
    _reaction_task(event, today)
    return event


def _check_resolution(onset_on: dt.date, resolved_on: dt.date | None, today: dt.date) -> None:
    if resolved_on is None:
        return
    if resolved_on < onset_on:
        raise EventError("resolved_on", "The resolution cannot come before the onset.")
    if resolved_on > today:
        raise EventError("resolved_on", "The resolution cannot be in the future.")


@transaction.atomic
def resolve_event(event: AdverseEvent, resolved_on: dt.date, *, by: User | None, today: dt.date) -> AdverseEvent:
    """Record when the event resolved; its open follow-up task is then done."""
    if event.resolved_on is not None:
        raise EventError("resolved_on", f"The event is already recorded as resolved on {event.resolved_on}.")
    _check_resolution(event.onset_on, resolved_on, today)
    event.resolved_on, event.resolution_recorded_by = resolved_on, by
    event.save(update_fields=["resolved_on", "resolution_recorded_by"])
    event.tasks.filter(done=False, kind=FollowUpTask.Kind.REACTION).update(
        done=True, done_at=timezone.now(), done_by=by
    )
    audit.record(by, "change", event, detail=f"resolved on {resolved_on}")
    return event


def reaction_due_on(event: AdverseEvent) -> dt.date | None:
    """The day a still unresolved reaction needs a follow-up: onset + the knowledge base's recovery time."""
    recovery = knowledge.get_procedure(event.procedure).course.recovery_days
    return None if recovery is None else event.onset_on + dt.timedelta(days=recovery.value)


def _reaction_task(event: AdverseEvent, today: dt.date) -> bool:
    """Create the follow-up of a reaction unresolved past its recovery time; True when one was created."""
    due = reaction_due_on(event)
    if due is None or due > today or (event.resolved_on is not None and event.resolved_on <= due):
        return False
    recovery = knowledge.get_procedure(event.procedure).course.recovery_days
    assert recovery is not None
    days = recovery.value
    _task, created = FollowUpTask.objects.get_or_create(
        key=f"reaction:{event.pk}",
        defaults={
            "kind": FollowUpTask.Kind.REACTION, "client_id": event.client_id, "procedure": event.procedure,
            "adverse_event": event, "due_on": due, "source": recovery.source,
            "text": {
                "en": f"Reaction “{event.code}” (onset {event.onset_on:%d.%m.%Y}) has not resolved within "
                      f"{days} day(s), the expected recovery time: contact the client.",
                "ru": f"Реакция «{event.code}» (начало {event.onset_on:%d.%m.%Y}) не прошла за {days} сут. — "
                      f"ожидаемое время восстановления: свяжитесь с клиентом.",
            },
        },
    )
    return created


@for_each_clinic(int)
def create_due_tasks(today: dt.date) -> int:
    """Follow-up tasks for every reaction still unresolved past its recovery time. Idempotent."""
    unresolved = AdverseEvent.objects.filter(resolved_on__isnull=True, onset_on__lt=today, tasks__isnull=True)
    return sum(_reaction_task(event, today) for event in unresolved)


def plan_wound_care(record: SessionRecord, day: dt.date) -> list[FollowUpTask]:
    """Wound-care check-ups after a neoplasm removal on `day`, on the clinic's chosen days. Idempotent."""
    tasks = []
    for offset in settings.WOUND_CARE_FOLLOWUP_DAYS:
        task, _created = FollowUpTask.objects.get_or_create(
            key=f"wound:{record.appointment_id}:{offset}",
            defaults={
                "kind": FollowUpTask.Kind.WOUND_CARE, "client_id": record.client_id, "procedure": record.procedure,
                "session": record, "due_on": day + dt.timedelta(days=offset), "source": WOUND_CARE_SOURCE,
                "text": {
                    "en": f"Wound-care check {offset} day(s) after the neoplasm removal of {day:%d.%m.%Y}: "
                          "look after the wound until it has finally healed.",
                    "ru": f"Проверка раны через {offset} сут. после удаления новообразования {day:%d.%m.%Y}: "
                          "уход за раной до её окончательного заживления.",
                },
            },
        )
        tasks.append(task)
    return tasks


def complete_task(task: FollowUpTask, *, by: User | None) -> FollowUpTask:
    if task.done:
        raise EventError("done", "The task is already done.")
    task.done, task.done_at, task.done_by = True, timezone.now(), by
    task.save(update_fields=["done", "done_at", "done_by"])
    audit.record(by, "change", task, detail="task done")
    return task


@for_each_clinic(int)
def alert_due_tasks(today: dt.date) -> int:
    """One outbox email to the clinic per open task due by `today` (key `follow-up-task:<id>`: never twice)."""
    recipient = alert_recipient()
    queued = 0
    for task in FollowUpTask.objects.filter(done=False, due_on__lte=today).select_related("client"):
        queued += enqueue(
            key=f"follow-up-task:{task.pk}", kind="follow_up_task", channel=Channel.EMAIL, recipient=recipient,
            subject=f"Задача наблюдения: {task.client.full_name}", body=task.text.get("ru", ""),
            due_at=timezone.now(), client_id=task.client_id,
        )[1]
    return queued
