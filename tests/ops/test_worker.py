"""The real worker (django-q2's qcluster, in its own processes) on the real broker: the suite's database (SQLite or
PostgreSQL) and Redis. Mail goes over SMTP to a server run by the test (aiosmtpd), which records what it accepted.

- A worker killed (SIGKILL, the whole process group) while it is sending leaves its task to be run again — the
  database broker offers it again after TASK_RETRY_S; Redis does not keep a task once taken, so there the next
  scheduled run does it (the test queues that run, as the schedule would) — and every message is accepted once.
- Two workers ("two machines") on one queue share the work, and none sends a message the other sent.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.notifications.services import enqueue

from .processes import PROJECT_DIR, Group, ServerDatabase, app_environment, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
BROKERS = ["database", "redis"]
CLAIM_S, TIMEOUT_S, RETRY_S = 3, 5, 7  # the claim runs out before the broker offers a dead worker's task again


def redis_client():  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); CI needs it")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: start it to run the Redis broker tests")
    return client


class Cluster:
    """Everything one machine of workers needs: the queue, the database, the mail server."""

    def __init__(self, broker: str, database: ServerDatabase, tmp_path: Path, smtp_port: int) -> None:
        self.broker, self.database, self.tmp_path, self.smtp_port = broker, database, tmp_path, smtp_port
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.started: list[Group] = []
        self.redis = redis_client() if broker == "redis" else None

    def env(self, **extra: str) -> dict[str, str]:
        env = app_environment(
            self.database.url, self.tmp_path,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port), EMAIL_TIMEOUT="30", TASK_QUEUE=self.queue, TASK_SCHEDULER="0",
            TASK_WORKERS="1", TASK_TIMEOUT_S=str(TIMEOUT_S), TASK_RETRY_S=str(RETRY_S), OUTBOX_CLAIM_S=str(CLAIM_S),
        )
        if self.broker == "redis":
            env["REDIS_URL"] = REDIS_URL
        env.update(extra)
        return env

    def start_worker(self, name: str, sender: str = "worker@clinic.example", **env: str) -> Group:
        worker = Group([sys.executable, "manage.py", "qcluster"], self.env(DEFAULT_FROM_EMAIL=sender, **env),
                       self.tmp_path / f"{name}.log")
        self.started.append(worker)
        return worker

    def wait_running(self, worker: Group) -> None:
        # qcluster logs its queue's name when its guard starts and once it runs (in the language it is set to).
        wait_until(lambda: worker.text().count(self.queue) >= 2, 60, "the worker to run", worker)

    def enqueue(self, job: str = "send_outbox", times: int = 1) -> str:
        done = subprocess.run([sys.executable, "manage.py", "enqueue", *[job] * times], env=self.env(),
                              cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=True)
        return done.stdout.split()[-1]

    def queued(self) -> int:
        if self.redis is not None:
            return int(self.redis.llen(f"django_q:{self.queue}:q"))
        from django_q.models import OrmQ

        self.database.refresh()
        return OrmQ.objects.filter(key=self.queue).count()

    def stop(self) -> None:
        for worker in self.started:
            worker.kill()
        if self.redis is not None:
            self.redis.delete(f"django_q:{self.queue}:q")


@pytest.fixture(params=BROKERS)
def cluster(request, server_database, tmp_path, mailbox) -> Iterator[Cluster]:
    made = Cluster(request.param, server_database, tmp_path, mailbox[1])
    yield made
    made.stop()


def outbox(count: int, stall_body: str | None = None) -> list[str]:
    now = timezone.now() - dt.timedelta(minutes=1)
    bodies = [f"message {n:02d}" for n in range(1, count + 1)]
    for n, body in enumerate(bodies):
        enqueue(key=f"test:{n}:email", kind="session_reminder", channel="email", recipient=f"client{n}@example.org",
                subject="Reminder", body=body, due_at=now + dt.timedelta(seconds=n))
    return bodies


def sent_state() -> dict[str, tuple[bool, int, bool]]:
    """body -> (sent, attempts, claimed)"""
    return {m.body: (m.sent_at is not None, m.attempts, bool(m.claimed_by))
            for m in OutboxMessage.objects.order_by("due_at")}


def test_a_worker_killed_mid_send_leaves_its_task_to_be_run_again_and_no_message_goes_twice(
    cluster, mailbox, server_database
):
    box, _port = mailbox
    bodies = outbox(3)
    box.stall_once = {"message 02"}
    server_database.publish()

    first = cluster.start_worker("first")
    task_id = cluster.enqueue()
    wait_until(box.stalled.is_set, 90, "the worker to be sending message 02", first)
    first.kill()
    box.release.set()

    server_database.refresh()
    assert sent_state() == {
        "message 01": (True, 1, False),
        "message 02": (False, 1, True),  # claimed by the dead worker: nobody else may send it until the claim ends
        "message 03": (False, 0, False),
    }
    assert box.bodies() == ["message 01"]
    if cluster.broker == "database":
        assert cluster.queued() == 1  # taken but never acknowledged: the broker offers it again after TASK_RETRY_S
    else:
        assert cluster.queued() == 0  # Redis gave the task away for good: the schedule's next run does the work

    second = cluster.start_worker("second")
    if cluster.broker == "redis":
        claimed_until = OutboxMessage.objects.get(body="message 02").claimed_until
        wait_until(lambda: timezone.now() > claimed_until, 30, "the dead worker's claim to run out")
        cluster.enqueue()  # what the every-minute schedule does
    wait_until(lambda: len(box.bodies()) == 3, 90, "the rest of the outbox to be sent", second)
    assert box.bodies() == bodies  # each accepted once: message 02 on its second attempt, none twice

    def settled() -> bool:
        server_database.refresh()
        return all(sent for sent, _attempts, _claimed in sent_state().values())

    wait_until(settled, 30, "the deliveries to be recorded", second)
    assert sent_state() == {
        "message 01": (True, 1, False),
        "message 02": (True, 2, False),
        "message 03": (True, 1, False),
    }
    if cluster.broker == "database":
        from django_q.models import Task

        wait_until(lambda: (server_database.refresh(), Task.objects.filter(id=task_id, success=True).exists())[1],
                   30, "the retried task's result", second)
        wait_until(lambda: cluster.queued() == 0, 30, "the retried task to be acknowledged", second)


def test_two_workers_share_one_queue_and_no_message_goes_twice(cluster, mailbox, server_database):
    box, _port = mailbox
    box.delay_s = 0.05
    bodies = outbox(40)
    server_database.publish()
    # no task timeout here: on a loaded machine a long run must not be cut short (that is the other test)
    machines = [cluster.start_worker(name, sender=f"{name}@clinic.example", TASK_TIMEOUT_S="300",
                                     TASK_RETRY_S="360") for name in ("a", "b")]
    for machine in machines:
        cluster.wait_running(machine)
    cluster.enqueue(times=6)
    wait_until(lambda: len(box.bodies()) >= 40 and cluster.queued() == 0, 120, "every message to be sent", *machines)
    assert box.bodies() == bodies
    assert box.senders() == {"a@clinic.example", "b@clinic.example"}  # both machines took part

    def settled() -> bool:
        server_database.refresh()
        return all(sent for sent, _attempts, _claimed in sent_state().values())

    wait_until(settled, 30, "the deliveries to be recorded", *machines)
    assert {attempts for _sent, attempts, _claimed in sent_state().values()} == {1}
