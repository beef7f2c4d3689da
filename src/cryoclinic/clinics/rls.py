"""PostgreSQL's half of the isolation: row-level security on every clinic-owned table, and same-clinic keys.

The application scopes every query (django-scopes); the database refuses what a mistake in the application
would let through:
- every clinic-owned table has ROW LEVEL SECURITY enabled and forced, with one policy: a row is visible and
  writable only when its `clinic_id` is the session's `cryoclinic.clinic_id`, or the session says
  `cryoclinic.scope = platform` (the platform's own work: migrations, the scheduler's loop over clinics);
- every foreign key between clinic-owned tables also runs over `(clinic_id, id)`, so a row cannot point at
  another clinic's row (and the tables stay co-located when distributed by clinic with Citus, docs/scale-out.md).

`state.py` sets the two settings for each request. Superusers bypass row-level security in PostgreSQL, so
production connects as a role without it; `CRYOCLINIC_DB_APP_ROLE` (default `cryoclinic_app`) is the role
granted the tables here. All of this is derived from the models after every migrate, so a new clinic-owned
model is covered without a hand-written migration; `tests/clinics/test_row_level_security.py` checks it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

SETTING_CLINIC = "cryoclinic.clinic_id"
SETTING_SCOPE = "cryoclinic.scope"
POLICY = "clinic_isolation"
_PENDING = "_cryoclinic_rls_wanted"
_APPLIED = "_cryoclinic_rls_applied"

POLICY_CONDITION = (
    f"current_setting('{SETTING_SCOPE}', true) = 'platform' "
    f"OR clinic_id = NULLIF(current_setting('{SETTING_CLINIC}', true), '')::bigint"
)


def _wanted(clinic_id: int | None, platform_wide: bool) -> tuple[str, str]:
    return (str(clinic_id) if clinic_id is not None else "", "platform" if platform_wide else "")


def _set(connection: BaseDatabaseWrapper, wanted: tuple[str, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, false), set_config(%s, %s, false)",
            [SETTING_CLINIC, wanted[0], SETTING_SCOPE, wanted[1]],
        )
    setattr(connection, _APPLIED, wanted)


def apply(clinic_id: int | None, platform_wide: bool) -> None:
    """Tell PostgreSQL which clinic this connection acts for (session settings; nothing on SQLite)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    wanted = _wanted(clinic_id, platform_wide)
    setattr(connection, _PENDING, wanted)
    if connection.connection is None:
        return  # set when the connection opens (forget_connection_setting)
    if not connection.in_atomic_block and getattr(connection, _APPLIED, None) == wanted:
        return  # a rolled-back transaction could have undone it: inside one, always set
    _set(connection, wanted)


def forget_connection_setting(sender: Any, connection: BaseDatabaseWrapper, **_: Any) -> None:
    """A new connection starts with no settings: apply the wanted ones, if any."""
    if connection.vendor != "postgresql":
        return
    setattr(connection, _APPLIED, ("", ""))
    wanted = getattr(connection, _PENDING, ("", ""))
    if wanted != ("", ""):
        _set(connection, wanted)


def migrate_as_platform(sender: Any, using: str = "default", **_: Any) -> None:
    """Data migrations read and write every clinic's rows: the migrating connection acts for the platform."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        setattr(connection, _PENDING, ("", "platform"))
        _set(connection, ("", "platform"))


def clinic_owned_models() -> list[type[Model]]:
    from django.apps import apps

    from .models import ClinicOwned

    return [m for m in apps.get_models() if issubclass(m, ClinicOwned) and not m._meta.proxy]


def same_clinic_foreign_keys(model: type[Model]) -> list[Any]:
    """The foreign keys of a clinic-owned model that point at another clinic-owned model (not the clinic)."""
    from .models import ClinicOwned

    return [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one or f.one_to_one
        if f.name != "clinic" and isinstance(f.related_model, type) and issubclass(f.related_model, ClinicOwned)
    ]


def _constraint_exists(cursor: Any, table: str, name: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass", [name, table]
    )
    return cursor.fetchone() is not None


def sync_database_rules(sender: Any, using: str = "default", **_: Any) -> None:
    """After every migrate on PostgreSQL: keys over (clinic_id, id), same-clinic foreign keys, the policies."""
    connection = connections[using]
    if connection.vendor != "postgresql" or getattr(sender, "name", "") != "cryoclinic.clinics":
        return
    quote = connection.ops.quote_name
    app_role = getattr(settings, "CRYOCLINIC_DB_APP_ROLE", "cryoclinic_app")
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        describe = connection.introspection.get_table_description
        models = [
            m
            for m in clinic_owned_models()
            if m._meta.db_table in tables and "clinic_id" in {c.name for c in describe(cursor, m._meta.db_table)}
        ]
        for model in models:
            table = model._meta.db_table
            name = f"{table}_clinic_key"[:63]
            if not _constraint_exists(cursor, table, name):
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} UNIQUE (clinic_id, id)")
        for model in models:
            table = model._meta.db_table
            for field in same_clinic_foreign_keys(model):
                name = f"{table}_{field.column}_same_clinic"[:63]
                if _constraint_exists(cursor, table, name):
                    continue
                target = field.related_model._meta.db_table
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                    f"FOREIGN KEY (clinic_id, {quote(field.column)}) REFERENCES {quote(target)} (clinic_id, id) "
                    "DEFERRABLE INITIALLY DEFERRED"
                )
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {quote(table)} FORCE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {quote(table)}")
            cursor.execute(
                f"CREATE POLICY {POLICY} ON {quote(table)} USING ({POLICY_CONDITION}) WITH CHECK ({POLICY_CONDITION})"
            )
        _grant_app_role(cursor, app_role, quote)


def _grant_app_role(cursor: Any, role: str, quote: Any) -> None:
    """The application's role gets the tables (not ownership: owners could turn the policies off)."""
    cursor.execute("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    may_create = bool(cursor.fetchone()[0])
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is None:
        if not may_create:
            return
        cursor.execute(f"CREATE ROLE {quote(role)} NOLOGIN")
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quote(role)}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quote(role)}")
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}")
