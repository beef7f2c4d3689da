"""The production process layout runs as documented: `honcho start` with the Procfile serves the app (gunicorn),
the scheduler queues the periodic jobs and the workers run them; stopping honcho leaves no process behind."""

from __future__ import annotations

import datetime as dt
import os
import signal
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from cryoclinic.notifications.services import enqueue

from .processes import BIN, PROJECT_DIR, Group, app_environment, free_port, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_the_procfile_serves_schedules_and_works_and_stops_whole(server_database, tmp_path, mailbox):
    box, smtp_port = mailbox
    enqueue(key="procfile:1:email", kind="session_reminder", channel="email", recipient="client@example.org",
            subject="Reminder", body="sent by the scheduled job", due_at=timezone.now() - dt.timedelta(minutes=1))
    server_database.publish()
    port = free_port()
    env = app_environment(
        server_database.url, tmp_path, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), TASK_QUEUE=f"test-{uuid.uuid4().hex[:12]}",
    )
    honcho = Group([str(BIN / "honcho"), "start", "--no-colour", "-f", str(PROJECT_DIR / "Procfile"), "-p", str(port)],
                   env, tmp_path / "honcho.log")
    children: set[int] = set()
    try:
        wait_until(lambda: healthy(port), 60, "the web process to answer", honcho)
        children = descendants(honcho.process.pid)
        assert len(children) >= 6  # gunicorn master and workers; two clusters, each with its own processes
        # Nobody queues anything: the scheduler's first pass (half a minute after start) queues send_outbox.
        wait_until(lambda: box.bodies() == ["sent by the scheduled job"], 120, "the scheduled delivery", honcho)

        honcho.process.send_signal(signal.SIGTERM)  # as a process manager stops it
        honcho.process.wait(timeout=60)
        wait_until(lambda: not any(alive(pid) for pid in children), 30, "every process to stop", honcho)
    finally:
        for pid in children | descendants(honcho.process.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        honcho.kill()
    log = honcho.text()
    assert "web.1" in log and "worker.1" in log and "scheduler.1" in log
