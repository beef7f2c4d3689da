"""Running the app's own processes (gunicorn, qcluster, honcho) against the suite's database in tests."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(settings.BASE_DIR).parent.parent
BIN = Path(sys.executable).parent


@dataclass
class ServerDatabase:
    """Where a subprocess finds the suite's database, and how its writes come back to this process.

    On PostgreSQL it is the test database itself. On SQLite the suite's database is in memory, which no other
    process can open: `publish` copies it to a file the subprocesses use, `refresh` copies the file back.
    """

    url: str
    sqlite_file: Path | None

    def publish(self) -> None:
        if self.sqlite_file is not None:
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)

    def refresh(self) -> None:
        if self.sqlite_file is not None:
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)


def server_database_for(tmp_path: Path) -> ServerDatabase:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "server.sqlite3"
        return ServerDatabase(f"sqlite:///{path}", path)
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return ServerDatabase(f"postgres://{user}{password}@{host}/{db['NAME']}", None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_environment(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a subprocess running this checkout's code on the suite's database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",
        "CRYOCLINIC_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(settings.BASE_DIR.parent),  # this checkout's code, whatever the venv installed
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for name in ("REDIS_URL", "S3_BUCKET", "BACKUP_KEY"):
        env.pop(name, None)
    env.update(extra)
    return env


class Group:
    """A process started in its own session, so that one signal reaches all it starts."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with open(log, "w") as out:
            self.process = subprocess.Popen(argv, env=env, cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole group, as a machine that loses power: nothing runs its clean-up."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def alive_in_group(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True


def wait_until(check: Callable[[], bool], timeout_s: float, what: str, *logs: Group) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    details = "\n".join(f"--- {g.log.name}:\n{g.text()[-3000:]}" for g in logs)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}\n{details}")
