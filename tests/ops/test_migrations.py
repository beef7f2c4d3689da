"""Migrations apply from an empty database and from the previous release's state, keeping its data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cryoclinic.ops.releases import PREVIOUS_RELEASE, RELEASES

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_migrations_apply_from_an_empty_database():
    apps_order = [app for app, _name in RELEASES[PREVIOUS_RELEASE]]
    try:
        migrate([(app, None) for app in reversed(apps_order)])
        assert "scheduling_appointment" not in connection.introspection.table_names()
        migrate(latest())
        tables = connection.introspection.table_names()
        assert {"scheduling_appointment", "treatments_sessionrecord", "clients_client"} <= set(tables)
    finally:
        migrate(latest())


def test_the_previous_release_upgrades_with_its_data():
    try:
        old = migrate(RELEASES[PREVIOUS_RELEASE])
        assert "treatments_sessionrecord" not in connection.introspection.table_names()
        old.get_model("clients", "Client").objects.create(full_name="Анна Смирнова", phone="+79123456789")
        new = migrate(latest())
        assert new.get_model("clients", "Client").objects.get().full_name == "Анна Смирнова"
        columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(),
                                                                                  "scheduling_appointment")}
        assert {"technique", "price_rub"} <= columns
        assert "treatments_sessionrecord" in connection.introspection.table_names()
    finally:
        migrate(latest())
