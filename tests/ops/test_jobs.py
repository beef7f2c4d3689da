"""The background jobs: their schedules in django-q2's table, queueing one by name, and what each job does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import OrmQ, Schedule

from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.notifications.services import enqueue
from cryoclinic.ops import tasks
from cryoclinic.ops.schedules import JOBS, ensure_schedules

pytestmark = pytest.mark.django_db


def test_migrate_writes_a_schedule_for_every_job():
    schedules = {s.name: s for s in Schedule.objects.all()}
    assert set(schedules) == set(JOBS)
    assert schedules["send_outbox"].schedule_type == Schedule.MINUTES and schedules["send_outbox"].minutes == 1
    daily = timezone.localtime(schedules["treatment_tasks"].next_run)
    assert schedules["treatment_tasks"].schedule_type == Schedule.DAILY and (daily.hour, daily.minute) == (6, 0)
    assert {s.func for s in schedules.values()} == {job.func for job in JOBS.values()}
    assert all(callable(getattr(tasks, job.name)) for job in JOBS.values())


def test_writing_the_schedules_again_keeps_their_next_runs_and_mends_changed_or_stray_ones():
    later = timezone.now() + dt.timedelta(minutes=30)
    Schedule.objects.filter(name="fill_outbox").update(next_run=later)
    Schedule.objects.filter(name="send_outbox").update(minutes=7)
    Schedule.objects.create(name="retired_job", func="cryoclinic.ops.tasks.retired_job", schedule_type=Schedule.HOURLY)
    Schedule.objects.create(name="someone_elses", func="elsewhere.job", schedule_type=Schedule.HOURLY)
    ensure_schedules()
    assert Schedule.objects.get(name="fill_outbox").next_run == later
    assert Schedule.objects.get(name="send_outbox").minutes == 1
    assert not Schedule.objects.filter(name="retired_job").exists()
    assert Schedule.objects.filter(name="someone_elses").exists()


def test_enqueue_puts_jobs_on_the_queue_and_refuses_unknown_ones_queueing_nothing(capsys):
    call_command("enqueue", "send_outbox", "fill_outbox")
    assert OrmQ.objects.count() == 2
    assert capsys.readouterr().out.count("queued ") == 2
    with pytest.raises(CommandError, match="No job 'send_everything'.*Nothing was queued"):
        call_command("enqueue", "fill_outbox", "send_everything")
    with pytest.raises(CommandError, match="Name a job"):
        call_command("enqueue")
    assert OrmQ.objects.count() == 2
    call_command("enqueue", "--list")
    assert "send_outbox" in capsys.readouterr().out


def test_the_send_outbox_job_delivers_what_is_due(mailoutbox):
    enqueue(key="k:1:email", kind="session_reminder", channel="email", recipient="client@example.org",
            subject="Reminder", body="Tomorrow at 10:00.", due_at=timezone.now() - dt.timedelta(minutes=1))
    assert tasks.send_outbox() == {"sent": 1, "failed": 0}
    assert len(mailoutbox) == 1 and OutboxMessage.objects.get().sent_at is not None


def test_the_reminder_refill_and_follow_up_jobs_run_their_services(demo):
    assert set(tasks.fill_outbox()) == {"session_reminders", "result_fading", "repeat_course"}
    assert set(tasks.refill_alerts()) == {"refill_alerts"}
    assert set(tasks.treatment_tasks()) == {"tasks_created", "alerts_queued"}
    assert tasks.fill_outbox()["session_reminders"] == 0  # idempotent: a second run adds nothing
