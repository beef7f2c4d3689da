"""Consistent backups and all-or-nothing restores through Django's serializers.

A backup is one gzip'd JSON document: a header (format, when, database vendor, the applied
migrations) and every row of every model, read inside one transaction (REPEATABLE READ on
PostgreSQL, so rows written meanwhile cannot tear it). Restoring checks the header against this
database's migrations, then empties the tables and loads the rows inside one transaction: on any
error nothing changes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

FORMAT = "cryoclinic-backup/1"
# Rebuilt by `migrate` itself; restoring them from a file would fight the migration signals.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """The backup cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    rows: int
    models: int


def _models() -> list[type[Model]]:
    found = [
        model
        for model in serializers.sort_dependencies([(config, None) for config in apps.get_app_configs()])
        if model._meta.label_lower not in SKIPPED and not model._meta.proxy and model._meta.managed
    ]
    return found


def _tables(models: list[type[Model]]) -> list[str]:
    """The models' tables and their many-to-many link tables."""
    tables = [model._meta.db_table for model in models]
    for model in models:
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[union-attr]
            if through is not None and through._meta.auto_created:
                tables.append(through._meta.db_table)
    return tables


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _rows(models: list[type[Model]], using: str) -> Iterator[Model]:
    for model in models:
        yield from model._base_manager.using(using).order_by(model._meta.pk.name).iterator()


def write_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    connection = connections[using]
    models = _models()
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        header = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "vendor": connection.vendor,
            "migrations": _applied_migrations(using),
        }
        serialized = serializers.serialize("json", _rows(models, using), use_natural_foreign_keys=True)
    rows: list[dict[str, Any]] = json.loads(serialized)
    document = {"header": header, "rows": rows}
    tmp = path.with_name(path.name + ".partial")
    with gzip.open(tmp, "wt", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False)
    tmp.replace(path)
    return Summary(rows=len(rows), models=len({row["model"] for row in rows}))


def _read(path: Path) -> dict[str, Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document: dict[str, Any] = json.load(handle)
    except FileNotFoundError as exc:
        raise BackupError(f"{path}: no such file.") from exc
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: not a readable cryoclinic backup ({exc}).") from exc
    header = document.get("header") if isinstance(document, dict) else None
    if not isinstance(header, dict) or header.get("format") != FORMAT or not isinstance(document.get("rows"), list):
        raise BackupError(f"{path}: not a cryoclinic backup (expected format {FORMAT}).")
    return document


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    document = _read(path)
    here = _applied_migrations(using)
    there = document["header"].get("migrations")
    if there != here:
        missing = sorted({tuple(m) for m in there or []} ^ {tuple(m) for m in here})[:5]
        raise BackupError(
            "The backup was made under other migrations than this database has "
            f"(differing: {missing}). Migrate this database to the backup's release first."
        )
    connection = connections[using]
    models = _models()
    tables = _tables(models)
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True):
                    cursor.execute(sql)
            count = 0
            with connection.constraint_checks_disabled():
                for obj in serializers.deserialize("json", json.dumps(document["rows"]), using=using):
                    obj.save(using=using)
                    count += 1
            connection.check_constraints(table_names=tables)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    except BackupError:
        raise
    except Exception as exc:  # any failure rolls the whole restore back
        raise BackupError(f"{path}: restore failed and nothing was changed ({type(exc).__name__}: {exc}).") from exc
    return Summary(rows=count, models=len({row["model"] for row in document["rows"]}))
