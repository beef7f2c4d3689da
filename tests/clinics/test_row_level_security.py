"""PostgreSQL's row-level security behind the application's scoping: under the application's database role, a
session acting for one clinic sees nothing of another's, whatever the SQL."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.rls import POLICY, clinic_owned_models

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


@pytest.fixture
def two_clients(clinic, other_clinic) -> tuple[Client, Client]:
    ours = Client.objects.create(full_name="Клиентка А", phone="+79160000001")
    with state.activate(other_clinic):
        theirs = Client.objects.create(full_name="Клиентка Б", phone="+79160000002")
    return ours, theirs


def _as_app_role(sql: str, clinic_id: int | None, params: list | None = None, platform: bool = False) -> list:
    """Run `sql` as the application's role with the session acting for `clinic_id` (what the middleware sets)."""
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():  # a refused statement rolls back to here, the role with it
                cursor.execute(f"SET ROLE {settings.CRYOCLINIC_DB_APP_ROLE}")
                cursor.execute(
                    "SELECT set_config('cryoclinic.clinic_id', %s, false), set_config('cryoclinic.scope', %s, false)",
                    ["" if clinic_id is None else str(clinic_id), "platform" if platform else ""],
                )
                cursor.execute(sql, params or [])
                return cursor.fetchall() if cursor.description else []
        finally:
            cursor.execute("RESET ROLE")
            state.rls.apply(state.current_clinic_id(), state.in_platform_scope())


def test_every_clinic_table_has_its_policy_enabled_and_forced():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = %s) "
            "FROM pg_class c WHERE c.relname = ANY(%s)",
            [POLICY, [m._meta.db_table for m in clinic_owned_models()]],
        )
        rows = cursor.fetchall()
    assert len(rows) == len(clinic_owned_models())
    assert [row for row in rows if row[1:] != (True, True, True)] == []


def test_a_session_of_another_clinic_reads_nothing_of_ours(two_clients, clinic, other_clinic):
    ours, theirs = two_clients
    assert _as_app_role("SELECT full_name FROM clients_client", other_clinic.pk) == [("Клиентка Б",)]
    assert _as_app_role("SELECT full_name FROM clients_client", clinic.pk) == [("Клиентка А",)]
    assert _as_app_role("SELECT count(*) FROM clients_client WHERE id = %s", other_clinic.pk, [ours.pk]) == [(0,)]


def test_a_session_acting_for_no_clinic_reads_nothing_and_the_platform_reads_all(two_clients):
    assert _as_app_role("SELECT count(*) FROM clients_client", None) == [(0,)]
    assert _as_app_role("SELECT count(*) FROM clients_client", None, platform=True) == [(2,)]


def test_a_session_cannot_write_into_another_clinic(two_clients, clinic, other_clinic):
    ours, _theirs = two_clients
    updated = _as_app_role("UPDATE clients_client SET notes = 'x' WHERE id = %s RETURNING id", other_clinic.pk,
                           [ours.pk])
    assert updated == []
    with pytest.raises(DatabaseError, match="row-level security"):
        _as_app_role(
            "INSERT INTO clients_client (clinic_id, full_name, phone, email, notes, created_at, updated_at) "
            "VALUES (%s, 'Чужая', '+79160000003', '', '', now(), now())",
            other_clinic.pk, [clinic.pk],
        )
    ours.refresh_from_db()
    assert ours.notes == ""


def test_activating_a_clinic_sets_the_session_for_the_database(clinic, other_clinic):
    def setting() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('cryoclinic.clinic_id', true), "
                           "current_setting('cryoclinic.scope', true)")
            return cursor.fetchone()

    with state.activate(other_clinic):
        assert setting() == (str(other_clinic.pk), "")
        with state.platform():
            assert setting() == ("", "platform")
        with state.no_clinic():
            assert setting() == ("", "")
        assert setting() == (str(other_clinic.pk), "")
    assert setting() == (str(clinic.pk), "")
