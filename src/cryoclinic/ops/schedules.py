"""When each background job runs, and putting a job on the queue by name.

The schedules are rows of django-q2's Schedule table, written here after every `migrate` (so a deploy brings
them up to date) and read by the scheduler inside `qcluster`. Several schedulers on several machines are safe:
each takes the due schedules FOR UPDATE and moves their next run in the same transaction, so a job is queued
once per interval, and the jobs are idempotent besides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

TASKS_MODULE = "cryoclinic.ops.tasks"


@dataclass(frozen=True)
class Job:
    name: str
    what: str
    every_min: int | None = None  # or
    daily_at: dt.time | None = None  # in settings.TIME_ZONE

    @property
    def func(self) -> str:
        return f"{TASKS_MODULE}.{self.name}"

    @property
    def when(self) -> str:
        return f"every {self.every_min} min" if self.every_min else f"daily at {self.daily_at:%H:%M}"


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("send_outbox", "deliver the due outbox messages (email, SMS)", every_min=1),
        Job("fill_outbox", "queue session reminders, result-fading and repeat-course notes", every_min=10),
        Job("refill_alerts", "queue liquid-nitrogen refill alerts", every_min=60),
        Job("treatment_tasks", "create due follow-up tasks and queue their clinic emails", daily_at=dt.time(6, 0)),
        Job("prerender_documents", "render today's consent and aftercare PDFs, drop old ones",
            daily_at=dt.time(5, 0)),
    )
}


def _first_run(job: Job, now: dt.datetime) -> dt.datetime:
    if job.daily_at is None:
        return now
    local = timezone.localtime(now)
    run = local.replace(hour=job.daily_at.hour, minute=job.daily_at.minute, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def ensure_schedules(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the Schedule table hold exactly JOBS (a changed job is rewritten; a dropped one deleted)."""
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return  # django_q is not migrated (yet) on this database
    now = timezone.now()
    ours = Schedule.objects.using(using).filter(func__startswith=f"{TASKS_MODULE}.")
    ours.exclude(name__in=list(JOBS)).delete()
    for job in JOBS.values():
        wanted: dict[str, Any] = {
            "func": job.func,
            "schedule_type": Schedule.MINUTES if job.every_min else Schedule.DAILY,
            "minutes": job.every_min,
            "repeats": -1,
        }
        current = Schedule.objects.using(using).filter(name=job.name).first()
        if current is None or any(getattr(current, key) != value for key, value in wanted.items()):
            Schedule.objects.using(using).update_or_create(
                name=job.name, defaults={**wanted, "next_run": _first_run(job, now)}
            )


def enqueue(name: str) -> str:
    """Put one job on the queue now (the worker runs it); returns the task id."""
    from django_q.tasks import async_task

    if name not in JOBS:
        raise KeyError(name)
    task_id: str = async_task(JOBS[name].func, group=name)
    return task_id


def post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    ensure_schedules(using)
