"""Kill the real server (gunicorn, SIGKILL) in the middle of booking a course: nothing of it is left half-written.

The server runs in a subprocess against the suite's own database: on PostgreSQL the test database itself; on
SQLite (an in-memory test database no other process can open) a file copy that is copied back before each check.
The fault hook in scheduling.services stops the booking after session 5 of 10, inside its transaction, and logs
that; the test waits for the log line, kills the whole process group, and looks at the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client as DjangoClient
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.scheduling.models import Appointment, Course
from cryoclinic.scheduling.services import FAULT_PAUSE_AFTER_SESSION

from .processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)

GUNICORN = Path(sys.executable).with_name("gunicorn")
CSRF_TOKEN = "faulttestcsrftoken0123456789abcd"  # any 32 letters and digits: cookie and header must match


class Server:
    """gunicorn in its own process group, so one SIGKILL takes the master and its worker at once."""

    def __init__(self, database_url: str, log: Path, fault_after_session: int | None = None) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "1",
            "CRYOCLINIC_VAR_DIR": str(log.parent),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(settings.BASE_DIR.parent),  # this checkout's code, whatever the venv installed
        }
        env.pop(FAULT_PAUSE_AFTER_SESSION, None)
        if fault_after_session is not None:
            env[FAULT_PAUSE_AFTER_SESSION] = str(fault_after_session)
        self.log = log
        for _attempt in range(3):  # a free port can be taken between finding it and binding it
            self.port = free_port()
            with open(log, "w") as out:
                self.process = subprocess.Popen(
                    [str(GUNICORN), "cryoclinic.wsgi:application", "--workers", "1", "--timeout", "300",
                     "--bind", f"127.0.0.1:{self.port}", "--error-logfile", "-", "--no-control-socket"],
                    env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                )
            if self._ready(deadline=time.monotonic() + 60):
                return
            self.kill()
        raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")

    def _ready(self, deadline: float) -> bool:
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return True
            except OSError:
                time.sleep(0.1)
        return False

    def wait_for_log(self, text: str, request: Future, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if text in self.log.read_text():
                return
            if self.process.poll() is not None or request.done():
                break
            time.sleep(0.05)
        answer = request.result() if request.done() else "no answer"
        raise AssertionError(f"server never logged {text!r}; the request got {answer}:\n{self.log.read_text()}")

    def kill(self) -> None:
        try:  # the whole group, even if the master is gone: no worker outlives the test
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def _post_course(port: int, session_id: str, client: Client, start: dt.date) -> tuple[int, dict]:
    payload = {
        "client": client.pk,
        "procedure": "facial-cryomassage",
        "start": start.isoformat(),
        "availability": [{"weekday": d, "start": "18:00", "end": "21:00"} for d in range(6)],
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/courses",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_id}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}",
            "X-CSRFToken": CSRF_TOKEN,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _course_state() -> tuple[int, list[tuple[int | None, int | None]]]:
    return Course.objects.count(), sorted(Appointment.objects.values_list("course_id", "session_number"))


def test_a_server_killed_mid_course_leaves_no_half_booked_course_and_a_retry_books_it(
    demo, server_database, servers, tmp_path
):
    browser = DjangoClient()
    reception = User.objects.get(username="demo-reception")
    browser.force_login(reception, backend="cryoclinic.accounts.backends.RolePermissionBackend")
    session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
    client = Client.objects.order_by("id").first()  # screened and consented by the demo
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    assert _course_state() == (0, [])
    server_database.publish()

    faulty = Server(server_database.url, tmp_path / "faulty.log", fault_after_session=5)
    servers.append(faulty)
    with ThreadPoolExecutor(max_workers=1) as pool:
        booking: Future = pool.submit(_post_course, faulty.port, session_id, client, monday)
        faulty.wait_for_log("paused after session 5 of course", booking)
        server_database.refresh()
        assert _course_state() == (0, []), "five uncommitted sessions must not be visible to anyone else"
        faulty.kill()
        with pytest.raises((ConnectionError, urllib.error.URLError, OSError)):
            booking.result(timeout=60)

    server_database.refresh()
    assert _course_state() == (0, []), "the killed booking left part of a course behind"

    healthy = Server(server_database.url, tmp_path / "healthy.log")
    servers.append(healthy)
    status, body = _post_course(healthy.port, session_id, client, monday)
    assert status == 201, body
    server_database.refresh()
    course = Course.objects.get()
    assert body["id"] == course.pk
    assert _course_state() == (1, [(course.pk, n) for n in range(1, 11)])
