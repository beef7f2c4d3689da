"""Fixtures for the operations tests: the suite's database for subprocesses, and the backup key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from cryoclinic.ops.crypto import new_key

from .processes import ServerDatabase, free_port, server_database_for
from .smtp import Mailbox


@pytest.fixture
def server_database(tmp_path) -> ServerDatabase:
    return server_database_for(tmp_path)


@pytest.fixture
def backup_key(settings) -> str:
    settings.BACKUP_KEY = new_key()
    return settings.BACKUP_KEY


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()
