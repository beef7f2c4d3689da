"""The plan for distributing the database by clinic with Citus, derived from the models (docs/scale-out.md).

Citus keeps one clinic's rows on one node when every table a clinic owns is distributed by `clinic_id` and
co-located, and every key joins through it:
- every unique and exclusion constraint of a clinic's table includes `clinic_id`;
- every foreign key between clinic-owned tables runs over `(clinic_id, id)` (`rls.py` adds them today);
- the primary key becomes `(clinic_id, id)` at distribution time (the statements below);
- tables shared by every clinic are reference tables (a copy on each node), and never point at a clinic's table.

`rules_broken()` lists what would stop the distribution; `tests/clinics/test_colocation.py` keeps it empty.
`statements()` is the migration itself, printed by `manage.py citus_plan`.
"""

from __future__ import annotations

from graphlib import TopologicalSorter

from django.apps import apps
from django.db import models

from .models import ClinicOwned
from .rls import clinic_owned_models, same_clinic_foreign_keys

TENANT_COLUMN = "clinic_id"


def shared_models() -> list[type[models.Model]]:
    """Every other table with rows: reference tables (Django's own included)."""
    return [
        m for m in apps.get_models(include_auto_created=True) if not issubclass(m, ClinicOwned) and not m._meta.proxy
    ]


def rules_broken() -> list[str]:
    """Why the schema could not be distributed by clinic as it stands (empty: it can)."""
    problems = []
    for model in clinic_owned_models():
        label = model._meta.label
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                problems.append(f"{label}.{field.name} is unique on its own: make it unique with the clinic")
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if isinstance(constraint, models.UniqueConstraint) and "clinic" not in fields:
                problems.append(f"{label}: unique constraint {constraint.name} lacks the clinic")
        for together in model._meta.unique_together:
            if "clinic" not in together:
                problems.append(f"{label}: unique_together {together} lacks the clinic")
        for field in model._meta.many_to_many:
            problems.append(f"{label}.{field.name}: a many-to-many table has no clinic column")
    for model in shared_models():
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and issubclass(target, ClinicOwned):
                problems.append(f"{model._meta.label}.{field.name}: a shared table points at a clinic's table")
    return problems


def distribution_order() -> list[type[models.Model]]:
    """Clinic-owned tables, each after the tables its foreign keys point at (Citus distributes them so)."""
    graph = {m: {f.related_model for f in same_clinic_foreign_keys(m) if f.related_model is not m}
             for m in clinic_owned_models()}
    return list(TopologicalSorter(graph).static_order())


def statements() -> list[str]:
    """The SQL that distributes a migrated cryoclinic database (run on the Citus coordinator, once)."""
    out = ["-- 1. Tables shared by every clinic: a copy on every node."]
    out += [f"SELECT create_reference_table('{m._meta.db_table}');" for m in shared_models()]
    owned = distribution_order()
    out.append("-- 2. A clinic's tables: the primary key becomes (clinic_id, id); the single-column foreign keys "
               "go with the old key (the (clinic_id, id) ones stay).")
    for model in owned:
        table = model._meta.db_table
        out.append(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey CASCADE;")
        out.append(f"ALTER TABLE {table} ADD PRIMARY KEY ({TENANT_COLUMN}, id);")
    out.append("-- 3. Distributed by clinic and co-located, referenced tables first.")
    first = owned[0]._meta.db_table
    for model in owned:
        table = model._meta.db_table
        colocate = "'none'" if table == first else f"'{first}'"
        out.append(f"SELECT create_distributed_table('{table}', '{TENANT_COLUMN}', colocate_with => {colocate});")
    return out
