"""Fixtures for the operations tests: the suite's database for subprocesses, and the backup key."""

from __future__ import annotations

import pytest

from cryoclinic.ops.crypto import new_key

from .processes import ServerDatabase, server_database_for


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
