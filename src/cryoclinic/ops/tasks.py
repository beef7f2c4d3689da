"""The background jobs the worker runs: each a thin call of the services that own the work.

Nothing is decided here: reminders are `scheduling.reminders`, nitrogen alerts `nitrogen.services`, follow-up
tasks `treatments.events`, delivery `notifications.services`, documents `ops.documents`. Every job is
idempotent (the outbox's unique keys, the follow-up tasks' keys, the claims on delivery), so a job that runs
twice — a task retried after its worker died, two schedulers on two machines — does no harm. The management
commands (`fill_outbox`, `send_outbox`, `treatment_tasks`) call the same services for a run by hand.
`ops.schedules` says when each job runs.
"""

from __future__ import annotations

from django.utils import timezone

from cryoclinic.nitrogen.services import refill_alerts as queue_refill_alerts
from cryoclinic.notifications.services import deliver_due
from cryoclinic.scheduling.reminders import fill_outbox as queue_reminders
from cryoclinic.treatments.events import alert_due_tasks, create_due_tasks

from . import documents


def send_outbox() -> dict[str, int]:
    report = deliver_due(timezone.now())
    return {"sent": report.sent, "failed": report.failed}


def fill_outbox() -> dict[str, int]:
    filled = queue_reminders(timezone.now())
    return {
        "session_reminders": filled.session_reminders,
        "result_fading": filled.result_fading,
        "repeat_course": filled.repeat_course,
    }


def refill_alerts() -> dict[str, int]:
    return {"refill_alerts": queue_refill_alerts(timezone.localdate())}


def treatment_tasks() -> dict[str, int]:
    today = timezone.localdate()
    return {"tasks_created": create_due_tasks(today), "alerts_queued": alert_due_tasks(today)}


def prerender_documents() -> dict[str, int]:
    today = timezone.localdate()
    return {"rendered": documents.prerender(today), "pruned": documents.prune(today)}
