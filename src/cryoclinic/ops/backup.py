"""One backup holds every row and every stored file (the treatment photos), with checksums, encrypted.

A backup is a tar.gz stream encrypted with BACKUP_KEY (`ops/crypto.py`) holding `rows.json` (every row of every
model, read inside one transaction: REPEATABLE READ on PostgreSQL, so rows written meanwhile cannot tear it), each
file a FileField of those rows names (read from its storage: the disk or S3) under `files/<model.field>/<name>`,
and `manifest.json` last: the format, the database's migrations and the SHA-256 and size of every member.

Opening an archive (for `--verify` or a restore) reads it whole into a temporary directory first: every chunk
authenticated, every member's checksum and size checked against the manifest, no member missing or extra, no
path outside its place. Only then does a restore touch anything: it empties the tables and loads the rows inside
one transaction and, before that commits, puts the files back into their storage; on any error the transaction
rolls back and the files written are removed (or put back as they were). A damaged or wrongly keyed archive is
refused whole: nothing is restored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import Storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from cryoclinic import caching
from cryoclinic.clinics import state

from .crypto import CryptoError, DecryptingReader, EncryptingWriter, parse_keys

FORMAT = "cryoclinic-backup/2"
# Rebuilt by `migrate` itself; restoring them from a file would fight the migration signals.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# The task queue and its results are transient; its schedules are written by `migrate` (ops.schedules).
SKIPPED_APPS = {"django_q"}
READ_BYTES = 1 << 20
FIELD_LABEL = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$")


class BackupError(Exception):
    """The backup cannot be written, opened or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    rows: int
    models: int
    files: int
    file_bytes: int
    missing: list[str] = field(default_factory=list)  # files rows name that were not in storage at backup time


def _models() -> list[type[Model]]:
    return [
        model
        for model in serializers.sort_dependencies([(config, None) for config in apps.get_app_configs()])
        if model._meta.label_lower not in SKIPPED
        and model._meta.app_label not in SKIPPED_APPS
        and not model._meta.proxy
        and model._meta.managed
    ]


def _tables(models_: list[type[Model]]) -> list[str]:
    """The models' tables and their many-to-many link tables."""
    tables = [model._meta.db_table for model in models_]
    for model in models_:
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through  # type: ignore[union-attr]
            if through is not None and through._meta.auto_created:
                tables.append(through._meta.db_table)
    return tables


def _file_fields(models_: list[type[Model]]) -> dict[str, models.FileField]:
    """Every FileField by `app.model.field`; its storage is the field's own (settings.STORAGES)."""
    return {
        f"{model._meta.label_lower}.{f.name}": f
        for model in models_
        for f in model._meta.get_fields()
        if isinstance(f, models.FileField) and f.concrete
    }


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _rows(models_: list[type[Model]], using: str) -> Iterator[Model]:
    for model in models_:
        yield from model._base_manager.using(using).order_by(model._meta.pk.name).iterator()


def _keys() -> list[bytes]:
    try:
        return parse_keys(settings.BACKUP_KEY)
    except CryptoError as exc:
        raise BackupError(str(exc)) from exc


class _HashingReader:
    """Reads through to `source`, hashing what passes."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, source: IO[bytes], size: int) -> tuple[str, int]:
    """Add one member, streaming it; returns its SHA-256 and size."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, 0
    reader = _HashingReader(source)
    archive.addfile(info, reader)  # type: ignore[arg-type]
    return reader.digest.hexdigest(), size


def pack(path: Path, key: bytes, header: dict[str, Any], rows_json: bytes,
         files: Iterator[tuple[str, str, IO[bytes], int]]) -> Summary:
    """Write an archive: the header's fields, the rows, then each (field label, name, content, size)."""
    tmp = path.with_name(path.name + ".partial")
    entries: list[dict[str, Any]] = []
    try:
        with open(tmp, "wb") as out:
            writer = EncryptingWriter(out, key)
            with tarfile.open(fileobj=writer, mode="w|gz", format=tarfile.PAX_FORMAT) as archive:  # type: ignore[call-overload]
                rows_sha, rows_size = _add(archive, "rows.json", io.BytesIO(rows_json), len(rows_json))
                for label, name, content, size in files:
                    sha, size = _add(archive, f"files/{label}/{name}", content, size)
                    entries.append({"field": label, "name": name, "sha256": sha, "bytes": size})
                manifest = {**header, "format": FORMAT,
                            "rows": {"sha256": rows_sha, "bytes": rows_size}, "files": entries}
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add(archive, "manifest.json", io.BytesIO(data), len(data))
            writer.finish()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    rows = json.loads(rows_json)
    return Summary(rows=len(rows), models=len({row["model"] for row in rows}), files=len(entries),
                   file_bytes=sum(e["bytes"] for e in entries), missing=list(header.get("missing", [])))


def write_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """One archive of every clinic's rows and files (the platform's work: row-level security lets it read all)."""
    with state.platform():
        return _write_backup(path, using=using)


def _write_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    key = _keys()[0]
    connection = connections[using]
    models_ = _models()
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        header = {
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": connection.vendor,
            "migrations": _applied_migrations(using),
        }
        serialized = serializers.serialize("json", _rows(models_, using), use_natural_foreign_keys=True)
    rows: list[dict[str, Any]] = json.loads(serialized)
    fields = _file_fields(models_)
    wanted: set[tuple[str, str]] = set()
    for row in rows:
        for label, file_field in fields.items():
            if label.rsplit(".", 1)[0] == row["model"] and row["fields"].get(file_field.name):
                wanted.add((label, row["fields"][file_field.name]))
    present = sorted((label, name) for label, name in wanted if fields[label].storage.exists(name))
    header["missing"] = sorted(f"{label}/{name}" for label, name in wanted - set(present))

    def files() -> Iterator[tuple[str, str, IO[bytes], int]]:
        for label, name in present:
            storage = fields[label].storage
            with storage.open(name, "rb") as content:
                yield label, name, content, storage.size(name)

    return pack(path, key, header, serialized.encode(), files())


@dataclass
class Opened:
    """An archive read whole into a temporary directory and proven: authentic, complete, every checksum right."""

    path: Path
    directory: Path
    manifest: dict[str, Any]

    def rows_json(self) -> bytes:
        return (self.directory / "rows.json").read_bytes()

    def file(self, entry: dict[str, Any]) -> Path:
        return self.directory / "files" / entry["field"] / entry["name"]

    def summary(self) -> Summary:
        rows = json.loads(self.rows_json())
        files = self.manifest["files"]
        return Summary(rows=len(rows), models=len({row["model"] for row in rows}), files=len(files),
                       file_bytes=sum(e["bytes"] for e in files), missing=list(self.manifest.get("missing", [])))


def _safe_member(member: tarfile.TarInfo) -> bool:
    """Rows, manifest, or `files/<app.model.field>/<relative name>` with no way out of its directory."""
    if member.name in ("rows.json", "manifest.json"):
        return member.isfile()
    parts = member.name.split("/")
    return (
        member.isfile()
        and len(parts) >= 3
        and parts[0] == "files"
        and bool(FIELD_LABEL.match(parts[1]))
        and all(part not in ("", ".", "..") for part in parts[2:])
        and not any(char in member.name for char in "\\\0")
    )


def _extract(path: Path, source: BinaryIO, directory: Path) -> dict[str, tuple[str, int]]:
    """Every member into `directory`, hashed on the way; refuses anything but rows, manifest and files."""
    seen: dict[str, tuple[str, int]] = {}
    reader = DecryptingReader(source, _keys())
    with tarfile.open(fileobj=reader, mode="r|gz") as archive:  # type: ignore[call-overload]
        for member in archive:
            if not _safe_member(member) or member.name in seen:
                raise BackupError(f"{path}: unexpected member {member.name!r}; this is not a backup to restore.")
            target = directory / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            content = archive.extractfile(member)
            assert content is not None  # a regular file, checked above
            digest, size = hashlib.sha256(), 0
            with open(target, "wb") as out:
                while data := content.read(READ_BYTES):
                    digest.update(data)
                    size += len(data)
                    out.write(data)
            seen[member.name] = (digest.hexdigest(), size)
    reader.drain()
    return seen


def _check(path: Path, manifest: Any, seen: dict[str, tuple[str, int]]) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: not a cryoclinic backup (expected format {FORMAT}).")
    expected = {"rows.json": (manifest["rows"]["sha256"], manifest["rows"]["bytes"]), "manifest.json": None}
    for entry in manifest["files"]:
        expected[f"files/{entry['field']}/{entry['name']}"] = (entry["sha256"], entry["bytes"])
    for name in sorted(set(expected) | set(seen)):
        if name not in seen:
            raise BackupError(f"{path}: {name} is listed in the manifest but not in the archive.")
        if name not in expected:
            raise BackupError(f"{path}: {name} is in the archive but not in its manifest.")
        if expected[name] is not None and expected[name] != seen[name]:
            raise BackupError(f"{path}: {name} does not match its checksum in the manifest.")


@contextmanager
def opened(path: Path) -> Iterator[Opened]:
    """The archive read, decrypted and checked whole into a temporary directory (removed afterwards)."""
    directory = Path(tempfile.mkdtemp(prefix="cryoclinic-restore-"))
    try:
        try:
            with open(path, "rb") as source:
                seen = _extract(path, source, directory)
            manifest = json.loads((directory / "manifest.json").read_bytes())
            _check(path, manifest, seen)
            rows = json.loads((directory / "rows.json").read_bytes())
        except FileNotFoundError as exc:
            missing = "no such file" if not path.exists() else "no manifest in the archive"
            raise BackupError(f"{path}: {missing}.") from exc
        except CryptoError as exc:
            raise BackupError(f"{path}: {exc} Nothing was restored.") from exc
        except (OSError, EOFError, tarfile.TarError, json.JSONDecodeError, UnicodeDecodeError,
                KeyError, TypeError) as exc:
            raise BackupError(f"{path}: not a readable cryoclinic backup ({type(exc).__name__}: {exc}).") from exc
        if not isinstance(rows, list):
            raise BackupError(f"{path}: rows.json holds no list of rows.")
        _check_rows(path, rows, manifest)
        yield Opened(path, directory, manifest)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _check_rows(path: Path, rows: list[Any], manifest: dict[str, Any]) -> None:
    """Every row names a model of this release with fields it has; every file field's entry is a known field."""
    known = {model._meta.label_lower: model for model in _models()}
    for number, row in enumerate(rows):
        model = known.get(str(row.get("model"))) if isinstance(row, dict) else None
        if model is None or not isinstance(row.get("fields"), dict):
            raise BackupError(f"{path}: row {number} is not a row of a model this release has ({row!r:.80}).")
        names = {f.name for f in model._meta.get_fields() if f.concrete}
        unknown = set(row["fields"]) - names
        if unknown:
            raise BackupError(f"{path}: row {number} ({row['model']}) has unknown fields {sorted(unknown)}.")
    fields = _file_fields(list(known.values()))
    for entry in manifest["files"]:
        if entry["field"] not in fields:
            raise BackupError(f"{path}: files of {entry['field']!r}, which is no file field of this release.")


def verify_backup(path: Path) -> Summary:
    """Prove an archive restorable without changing anything."""
    with opened(path) as archive:
        return archive.summary()


class _FileUndo:
    """What a restore did to the storages, to be undone if the database part fails."""

    def __init__(self, scratch: Path) -> None:
        self.created: list[tuple[Storage, str]] = []
        self.replaced: list[tuple[Storage, str, Path]] = []
        self.scratch = scratch

    def put(self, storage: Storage, name: str, source: Path, sha256: str) -> None:
        if storage.exists(name):
            with storage.open(name, "rb") as current:
                old = _sha256(current)
            if old == sha256:
                return
            keep = self.scratch / f"previous-{len(self.replaced)}"
            with storage.open(name, "rb") as current, open(keep, "wb") as out:
                shutil.copyfileobj(current, out)
            storage.delete(name)
            self.replaced.append((storage, name, keep))
        else:
            self.created.append((storage, name))
        with open(source, "rb") as content:
            saved = storage.save(name, File(content, name=name))
        if saved != name:
            self.created.append((storage, saved))
            raise BackupError(f"storage stored {name} as {saved}; refusing a restore that would rename files")

    def undo(self) -> None:
        for storage, name in reversed(self.created):
            storage.delete(name)
        for storage, name, keep in reversed(self.replaced):
            if storage.exists(name):
                storage.delete(name)
            with open(keep, "rb") as content:
                storage.save(name, File(content, name=name))


def _sha256(content: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while data := content.read(READ_BYTES):
        digest.update(data)
    return digest.hexdigest()


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Every clinic's rows and files back from an archive, all or nothing (the platform's work)."""
    with state.platform():
        return _restore_backup(path, using=using)


def _restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    with opened(path) as archive:
        here = _applied_migrations(using)
        there = archive.manifest.get("migrations")
        if there != here:
            differing = sorted({tuple(m) for m in there or []} ^ {tuple(m) for m in here})[:5]
            raise BackupError(
                "The backup was made under other migrations than this database has "
                f"(differing: {differing}). Migrate this database to the backup's release first."
            )
        connection = connections[using]
        models_ = _models()
        tables = _tables(models_)
        fields = _file_fields(models_)
        files = _FileUndo(archive.directory)
        try:
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=False,
                                                        allow_cascade=True):
                        cursor.execute(sql)
                with connection.constraint_checks_disabled():
                    for obj in serializers.deserialize("json", archive.rows_json(), using=using):
                        obj.save(using=using)
                connection.check_constraints(table_names=tables)
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                        cursor.execute(sql)
                for entry in archive.manifest["files"]:
                    files.put(fields[entry["field"]].storage, entry["name"], archive.file(entry), entry["sha256"])
        except Exception as exc:  # any failure rolls the whole restore back, files included
            files.undo()
            raise BackupError(
                f"{path}: restore failed and nothing was changed ({type(exc).__name__}: {exc})."
            ) from exc
        caching.invalidate_all()  # the flush removed rows without a signal: no cached answer may outlive it
        return archive.summary()
