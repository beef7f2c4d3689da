"""Citus's co-location rules over every model (docs/scale-out.md), and the database keeping them today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from cryoclinic.clients.models import Client
from cryoclinic.clinics import citus, state
from cryoclinic.clinics.models import CrossClinicReference
from cryoclinic.clinics.rls import clinic_owned_models, same_clinic_foreign_keys
from cryoclinic.scheduling.models import Course

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale-out.md"
postgres_only = pytest.mark.postgres_only


def test_the_schema_keeps_the_co_location_rules():
    assert citus.rules_broken() == []


def test_the_doc_holds_the_current_migration_and_names_every_table():
    text = DOC.read_text()
    block = re.search(r"```sql\n(.*?)\n```", text, re.S)
    refresh = "run manage.py citus_plan --doc docs/scale-out.md"
    assert block is not None and block.group(1) == "\n".join(citus.statements()), refresh
    for model in [*clinic_owned_models(), *citus.shared_models()]:
        assert f"`{model._meta.db_table}`" in text, model._meta.db_table


def test_clinic_tables_are_distributed_after_the_tables_they_reference():
    order = [m._meta.db_table for m in citus.distribution_order()]
    for model in clinic_owned_models():
        for field in same_clinic_foreign_keys(model):
            if field.related_model is not model:
                assert order.index(field.related_model._meta.db_table) < order.index(model._meta.db_table)


def _constraints(table: str) -> list[tuple[str, str, list[str], str | None, list[str]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname, c.contype,
                   ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a
                         ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.ord),
                   c.confrelid::regclass::text,
                   ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a
                         ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.ord)
            FROM pg_constraint c WHERE c.conrelid = %s::regclass
            """,
            [table],
        )
        return [(name, kind, list(cols), target, list(target_cols)) for name, kind, cols, target, target_cols
                in cursor.fetchall()]


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(m._meta.db_table for m in clinic_owned_models()))
def test_every_unique_and_exclusion_constraint_of_a_clinic_table_includes_the_clinic(table):
    for name, kind, columns, _target, _target_columns in _constraints(table):
        if kind in ("u", "x"):
            assert "clinic_id" in columns, (table, name, columns)


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("model", clinic_owned_models(), ids=lambda m: m._meta.db_table)
def test_every_foreign_key_between_clinic_tables_runs_over_the_clinic(model):
    found = {(tuple(cols), target, tuple(target_cols)) for _n, kind, cols, target, target_cols
             in _constraints(model._meta.db_table) if kind == "f"}
    for field in same_clinic_foreign_keys(model):
        expected = (("clinic_id", field.column), field.related_model._meta.db_table, ("clinic_id", "id"))
        assert expected in found, (model._meta.db_table, field.column)


@pytest.mark.django_db
def test_a_row_cannot_point_at_another_clinics_row(clinic, other_clinic):
    with state.activate(other_clinic):
        theirs = Client.objects.create(full_name="Клиентка Б", phone="+79160000002")
    with pytest.raises(CrossClinicReference):
        Course.objects.create(client=theirs, procedure="facial-cryomassage", rules={}, knowledge_version="1")


@pytest.mark.django_db
def test_rows_created_in_bulk_cannot_point_at_another_clinics_row(clinic, other_clinic):
    with state.activate(other_clinic):
        theirs = Client.objects.create(full_name="Клиентка Б", phone="+79160000002")
    ours = Client.objects.create(full_name="Клиентка А", phone="+79160000001")
    rows = [Course(client_id=c.pk, procedure="facial-cryomassage", rules={}, knowledge_version="1")
            for c in (ours, theirs)]
    with pytest.raises(CrossClinicReference):
        Course.objects.bulk_create(rows)
    assert not Course.objects.exists()
    Course.objects.bulk_create(rows[:1])
    assert Course.objects.get().client == ours


@postgres_only
@pytest.mark.django_db
def test_the_database_refuses_a_row_pointing_at_another_clinics_row_even_past_the_application(clinic, other_clinic):
    with state.activate(other_clinic):
        theirs = Client.objects.create(full_name="Клиентка Б", phone="+79160000002")
    ours = Client.objects.create(full_name="Клиентка А", phone="+79160000001")
    course = Course.objects.create(client=ours, procedure="facial-cryomassage", rules={}, knowledge_version="1")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE scheduling_course SET client_id = %s WHERE id = %s", [theirs.pk, course.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
