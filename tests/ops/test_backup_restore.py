"""Backup and restore round-trip on the database the suite runs on (SQLite and PostgreSQL in CI)."""

from __future__ import annotations

import gzip
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client, IntakeRecord
from cryoclinic.scheduling.models import Room

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, object]:
    return {
        "clients": sorted(Client.objects.values_list("id", "full_name", "phone", "date_of_birth")),
        "rooms": sorted(Room.objects.values_list("id", "name", "clinic_id")),
        "users": sorted(User.objects.values_list("id", "username", "password")),
        "groups": sorted((u.username, tuple(u.groups.values_list("name", flat=True))) for u in User.objects.all()),
        "audit": AuditEvent.objects.count(),
        "intakes": sorted(IntakeRecord.objects.values_list("id", "client_id", "decision", "answers")),
    }


def test_restore_brings_back_exactly_what_the_backup_held(demo, tmp_path):
    path = tmp_path / "clinic.json.gz"
    before = _snapshot()
    call_command("backup", str(path))

    Client.objects.filter(id__in=list(Client.objects.values_list("id", flat=True)[:5])).update(full_name="Changed")
    Room.objects.all().delete()
    Client.objects.create(full_name="Written after the backup", phone="+79990000000")
    User.objects.get(username="demo-client").groups.clear()
    assert _snapshot() != before

    call_command("restore", str(path), "--yes")
    assert _snapshot() == before
    new = Client.objects.create(full_name="After restore", phone="+79990000001")
    assert new.id > max(cid for cid, *_ in before["clients"])  # sequences were reset past the restored rows


def test_restore_without_confirmation_changes_nothing(demo, tmp_path):
    path = tmp_path / "clinic.json.gz"
    call_command("backup", str(path))
    Client.objects.create(full_name="Kept", phone="+79990000002")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path))
    assert Client.objects.filter(full_name="Kept").exists()


def test_a_backup_from_other_migrations_is_refused_and_nothing_changes(demo, tmp_path):
    path = tmp_path / "clinic.json.gz"
    call_command("backup", str(path))
    with gzip.open(path, "rt") as handle:
        document = json.load(handle)
    document["header"]["migrations"].append(["clients", "9999_future"])
    with gzip.open(path, "wt") as handle:
        json.dump(document, handle)
    count = Client.objects.count()
    with pytest.raises(CommandError, match="other migrations"):
        call_command("restore", str(path), "--yes")
    assert Client.objects.count() == count


def test_a_broken_backup_is_refused_and_nothing_changes(demo, tmp_path):
    path = tmp_path / "clinic.json.gz"
    call_command("backup", str(path))
    with gzip.open(path, "rt") as handle:
        document = json.load(handle)
    victim = next(row for row in document["rows"] if row["model"] == "clients.client")
    victim["fields"]["full_name"] = None  # NOT NULL column: the load fails part-way
    with gzip.open(path, "wt") as handle:
        json.dump(document, handle)
    before = _snapshot()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(path), "--yes")
    assert _snapshot() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="not a readable cryoclinic backup"):
        call_command("restore", str(path), "--yes")
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.gz"), "--yes")
