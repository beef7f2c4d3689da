"""One encrypted backup of the rows and the photos: round trip, --verify, and every bad archive refused whole.

Runs on the suite's database (SQLite and PostgreSQL in CI) with the photos on the local disk; the same round
trip through S3-compatible storage is in test_media_on_s3.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client, IntakeRecord
from cryoclinic.ops.backup import opened
from cryoclinic.ops.crypto import CHUNK_BYTES, EncryptingWriter, new_key, parse_keys
from cryoclinic.scheduling.models import Room
from cryoclinic.treatments.models import OutcomePhoto

from .photos import noise_jpeg, store_photo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def photos(demo, private_root, backup_key) -> list[OutcomePhoto]:
    return [store_photo("before", noise_jpeg(1600, 1000, 1)), store_photo("after", noise_jpeg(60, 40, 2))]


def photo_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def snapshot() -> dict[str, object]:
    return {
        "clients": sorted(Client.objects.values_list("id", "full_name", "phone", "date_of_birth")),
        "rooms": sorted(Room.objects.values_list("id", "name", "clinic_id")),
        "users": sorted(User.objects.values_list("id", "username", "password")),
        "groups": sorted((u.username, tuple(u.groups.values_list("name", flat=True))) for u in User.objects.all()),
        "audit": AuditEvent.objects.count(),
        "intakes": sorted(IntakeRecord.objects.values_list("id", "client_id", "decision", "answers")),
        "photos": sorted(OutcomePhoto.objects.values_list("id", "image", "width", "height")),
    }


def change_everything(private_root: Path) -> None:
    Client.objects.filter(id__in=list(Client.objects.values_list("id", flat=True)[:5])).update(full_name="Changed")
    Room.objects.filter(appointments__isnull=True).delete()
    Client.objects.create(full_name="Written after the backup", phone="+79990000000")
    User.objects.get(username="demo-client").groups.clear()
    for path in private_root.rglob("*.jpg"):
        path.unlink()


def repack(path: Path, key: str, members: dict[str, bytes]) -> None:
    """Encrypt a hand-made tar with the right key: the archive authenticates, so what it holds is on trial."""
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    with open(path, "wb") as out:
        writer = EncryptingWriter(out, parse_keys(key)[0])
        writer.write(plain.getvalue())
        writer.finish()


def members_of(path: Path) -> dict[str, bytes]:
    with opened(path) as archive:
        return {str(p.relative_to(archive.directory)): p.read_bytes()
                for p in sorted(archive.directory.rglob("*")) if p.is_file()}


def test_restore_brings_back_every_row_and_every_photo(photos, private_root, tmp_path, capsys):
    path = tmp_path / "clinic.cryobak"
    before, files_before = snapshot(), photo_files(private_root)
    call_command("backup", str(path))
    assert "and 2 files" in capsys.readouterr().out

    change_everything(private_root)
    later = store_photo("after", noise_jpeg(50, 50, 3))
    assert snapshot() != before and photo_files(private_root) != files_before

    call_command("restore", str(path), "--yes")
    assert snapshot() == before
    assert photo_files(private_root) == files_before | {later.image.name: photo_files(private_root)[later.image.name]}
    assert not OutcomePhoto.objects.filter(pk=later.pk).exists()  # its row is gone; its file is left, unlisted
    new = Client.objects.create(full_name="After restore", phone="+79990000001")
    assert new.id > max(cid for cid, *_ in before["clients"])  # sequences were reset past the restored rows


def test_the_backup_file_is_encrypted(photos, tmp_path):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    data = path.read_bytes()
    name = Client.objects.order_by("id").first().full_name.encode()
    assert name not in data and b"demo-doctor" not in data and b"outcome-photos" not in data
    assert photos[0].image.read()[:4096] not in data


def test_verify_proves_a_backup_and_changes_nothing(photos, private_root, tmp_path, capsys):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    change_everything(private_root)
    changed, files = snapshot(), photo_files(private_root)
    capsys.readouterr()
    call_command("restore", str(path), "--verify")
    out = capsys.readouterr().out
    assert out.startswith("verified ") and "and 2 files" in out
    assert snapshot() == changed and photo_files(private_root) == files


def test_restore_without_confirmation_changes_nothing(photos, tmp_path):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    Client.objects.create(full_name="Kept", phone="+79990000002")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="give one of them"):
        call_command("restore", str(path), "--yes", "--verify")
    assert Client.objects.filter(full_name="Kept").exists()


def refused_whole(path: Path, private_root: Path, match: str) -> None:
    """Both --verify and a restore refuse the archive, and nothing changes."""
    changed, files = snapshot(), photo_files(private_root)
    for flag in ("--verify", "--yes"):
        with pytest.raises(CommandError, match=match):
            call_command("restore", str(path), flag)
    assert snapshot() == changed and photo_files(private_root) == files


def test_a_damaged_archive_is_refused_whole(photos, private_root, tmp_path):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    data = bytearray(path.read_bytes())
    assert len(data) > CHUNK_BYTES + 100_000  # the damage is past the first chunk, which alone would decrypt
    data[-50_000] ^= 0x01
    path.write_bytes(bytes(data))
    change_everything(private_root)
    refused_whole(path, private_root, r"damaged at byte \d+: chunk 1 fails authentication.*Nothing was restored")


def test_a_cut_off_archive_is_refused_whole(photos, private_root, tmp_path):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    path.write_bytes(path.read_bytes()[:-100])
    change_everything(private_root)
    refused_whole(path, private_root, "cut off after")


def test_an_archive_with_bytes_appended_is_refused(photos, private_root, tmp_path):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    path.write_bytes(path.read_bytes() + b"\x00" * 20)
    refused_whole(path, private_root, "data follows the final chunk")


def test_a_wrongly_keyed_archive_is_refused_and_a_rotated_key_still_opens_it(
    photos, private_root, tmp_path, settings
):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    old_key = settings.BACKUP_KEY
    settings.BACKUP_KEY = new_key()
    change_everything(private_root)
    refused_whole(path, private_root, "none of the keys in BACKUP_KEY opens this backup")
    settings.BACKUP_KEY = f"{new_key()},{old_key}"  # rotation: a new key first, the old one still decrypts
    call_command("restore", str(path), "--verify")


def test_a_photo_that_does_not_match_its_checksum_is_refused(photos, private_root, tmp_path, backup_key):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    members = members_of(path)
    photo = next(name for name in members if name.startswith("files/"))
    members[photo] = members[photo][:-1] + b"\x00"
    repack(path, backup_key, members)
    change_everything(private_root)
    refused_whole(path, private_root, "does not match its checksum in the manifest")


def test_an_archive_with_a_path_out_of_its_place_is_refused(photos, private_root, tmp_path, backup_key):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    members = members_of(path)
    members["files/treatments.outcomephoto.image/../../../escaped.txt"] = b"outside"
    repack(path, backup_key, members)
    refused_whole(path, private_root, "unexpected member")
    assert not list(tmp_path.rglob("escaped.txt"))


def test_a_backup_from_other_migrations_is_refused_and_nothing_changes(photos, private_root, tmp_path, backup_key):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    members = members_of(path)
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"].append(["clients", "9999_future"])
    members["manifest.json"] = json.dumps(manifest).encode()
    repack(path, backup_key, members)
    changed, files = snapshot(), photo_files(private_root)
    with pytest.raises(CommandError, match="other migrations"):
        call_command("restore", str(path), "--yes")
    assert snapshot() == changed and photo_files(private_root) == files


def test_a_restore_that_fails_at_the_files_puts_back_rows_and_files(photos, private_root, tmp_path):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    change_everything(private_root)
    first, second = sorted(OutcomePhoto.objects.values_list("image", flat=True))
    (private_root / second).mkdir()  # a directory where the second photo goes: the storage cannot write it
    changed, files = snapshot(), photo_files(private_root)
    with pytest.raises(CommandError, match="restore failed and nothing was changed"):
        call_command("restore", str(path), "--yes")
    assert snapshot() == changed
    assert photo_files(private_root) == files  # the first photo, written before the failure, was removed again
    assert not (private_root / first).exists()


def test_a_broken_row_is_refused_and_nothing_changes(photos, private_root, tmp_path, backup_key):
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    members = members_of(path)
    rows = json.loads(members["rows.json"])
    victim = next(row for row in rows if row["model"] == "clients.client")
    victim["fields"]["full_name"] = None  # NOT NULL column: the load fails part-way
    members["rows.json"] = json.dumps(rows).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["rows"] = {"sha256": hashlib.sha256(members["rows.json"]).hexdigest(), "bytes": len(members["rows.json"])}
    members["manifest.json"] = json.dumps(manifest).encode()
    repack(path, backup_key, members)
    change_everything(private_root)
    changed, files = snapshot(), photo_files(private_root)
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(path), "--yes")
    assert snapshot() == changed and photo_files(private_root) == files


def test_backup_without_a_key_is_refused_and_writes_nothing(db, tmp_path, settings):
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path / "clinic.cryobak"))
    settings.BACKUP_KEY = "not-a-key"
    with pytest.raises(CommandError, match="key 1 is not 32 bytes"):
        call_command("backup", str(tmp_path / "clinic.cryobak"))
    assert list(tmp_path.iterdir()) == []


def test_new_key_prints_a_key_the_backup_takes(db, tmp_path, settings, capsys):
    call_command("backup", "--new-key")
    key = capsys.readouterr().out.strip()
    assert len(parse_keys(key)[0]) == 32
    settings.BACKUP_KEY = key
    call_command("backup", str(tmp_path / "clinic.cryobak"))
    call_command("restore", str(tmp_path / "clinic.cryobak"), "--verify")


def test_files_that_are_not_backups_are_refused_with_the_reason(db, tmp_path, backup_key):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    with pytest.raises(CommandError, match="not a cryoclinic backup"):
        call_command("restore", str(notes), "--yes")
    legacy = tmp_path / "clinic.json.gz"
    legacy.write_bytes(b"\x1f\x8b" + os.urandom(100))
    with pytest.raises(CommandError, match="cryoclinic-backup/1"):
        call_command("restore", str(legacy), "--verify")
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.cryobak"), "--yes")
    with pytest.raises(CommandError, match="no such directory"):
        call_command("backup", str(tmp_path / "nowhere" / "clinic.cryobak"))


def test_a_photo_already_missing_from_storage_is_named_in_the_backup_and_on_verify(photos, private_root, tmp_path,
                                                                                   capsys):
    gone = photos[1].image.name
    (private_root / gone).unlink()
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    assert f"treatments.outcomephoto.image/{gone}" in capsys.readouterr().err
    call_command("restore", str(path), "--verify")
    captured = capsys.readouterr()
    assert "and 1 files" in captured.out and "already missing" in captured.err and gone in captured.err


def test_nothing_cached_before_a_restore_is_served_after_it(photos, tmp_path):
    from cryoclinic.clinics.state import current_clinic
    from cryoclinic.scheduling.models import ClosedDay
    from cryoclinic.scheduling.services import clinic_spec

    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    holiday = dt.date(2031, 1, 2)
    ClosedDay.objects.create(date=holiday, reason="written after the backup")
    assert holiday in clinic_spec(current_clinic()).closed_days  # cached now
    call_command("restore", str(path), "--yes")
    assert holiday not in clinic_spec(current_clinic()).closed_days
