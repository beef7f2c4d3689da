"""Migrations apply from an empty database and from each earlier release's state, keeping its data: upgrading
the one-clinic 0.2.0 makes its clinic the platform's first tenant and loses nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cryoclinic.clinics import state
from cryoclinic.ops.releases import PREVIOUS_RELEASE, RELEASES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.no_clinic]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture(autouse=True)
def _back_to_latest():
    with state.platform():  # migrations read and write every clinic's rows
        yield
        migrate(latest())
        from django.apps import apps

        from cryoclinic.clinics.rls import sync_database_rules

        sync_database_rules(apps.get_app_config("clinics"))  # what `manage.py migrate` does after migrating


def test_migrations_apply_from_an_empty_database():
    apps_order = [app for app, _name in RELEASES["0.1.0"]]
    migrate([(app, None) for app in reversed(apps_order)])
    assert "scheduling_appointment" not in connection.introspection.table_names()
    migrate(latest())
    tables = connection.introspection.table_names()
    assert {"scheduling_appointment", "treatments_sessionrecord", "clients_client", "clinics_membership"} <= set(
        tables
    )


def test_release_0_1_0_upgrades_with_its_data():
    old = migrate(RELEASES["0.1.0"])
    assert "treatments_sessionrecord" not in connection.introspection.table_names()
    old.get_model("clients", "Client").objects.create(full_name="Анна Смирнова", phone="+79123456789")
    new = migrate(latest())
    client = new.get_model("clients", "Client").objects.get()
    assert client.full_name == "Анна Смирнова"
    assert new.get_model("clinics", "Clinic").objects.get(pk=client.clinic_id).status == "active"  # made for it
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(),
                                                                              "scheduling_appointment")}
    assert {"technique", "price_rub", "clinic_id"} <= columns


def _release_0_2_0_data(old) -> dict[str, int]:
    """A clinic as 0.2.0 ran it: staff by role group, a practitioner, a client with a course and a session,
    an event, an outbox message, a token, an audit event, a vessel, the clinic's own item and its salon's price."""
    get = old.get_model
    User, Group = get("auth", "User"), get("auth", "Group")
    clinic = get("scheduling", "Clinic").objects.create(
        name="Криоклиника «Север»", city="Тверь", address="ул. Советская, 1", phone="+74822000000"
    )
    users = {}
    for role in ("admin", "practitioner", "reception", "client"):
        users[role] = User.objects.create(username=f"old-{role}")
        users[role].groups.add(Group.objects.get_or_create(name=role)[0])
    boss = User.objects.create(username="old-superuser", is_superuser=True, is_staff=True)
    practitioner = get("scheduling", "Practitioner").objects.create(
        user=users["practitioner"], clinic=clinic, display_name="Анна", procedures=["facial-cryomassage"]
    )
    get("scheduling", "WorkingHours").objects.create(practitioner=practitioner, weekday=0, starts=dt.time(9),
                                                     ends=dt.time(18))
    room = get("scheduling", "Room").objects.create(clinic=clinic, name="Кабинет 1")
    client = get("clients", "Client").objects.create(full_name="Мария", phone="+79160000001", user=users["client"])
    get("clients", "IntakeRecord").objects.create(client=client, procedure="facial-cryomassage",
                                                  knowledge_version="1", answers={}, decision="eligible")
    course = get("scheduling", "Course").objects.create(clinic=clinic, client=client, procedure="facial-cryomassage",
                                                        rules={}, knowledge_version="1")
    start = timezone.now() - dt.timedelta(days=1)
    appointment = get("scheduling", "Appointment").objects.create(
        clinic=clinic, client=client, procedure="facial-cryomassage", practitioner=practitioner, room=room,
        course=course, session_number=1, starts_at=start, ends_at=start + dt.timedelta(minutes=20), status="done",
        price_rub=990,
    )
    get("treatments", "SessionRecord").objects.create(appointment=appointment, client=client,
                                                      procedure="facial-cryomassage", knowledge_version="1")
    get("treatments", "AdverseEvent").objects.create(client=client, procedure="facial-cryomassage", code="other",
                                                     severity="mild", onset_on=start.date(), appointment=appointment)
    get("notifications", "OutboxMessage").objects.create(key="k1", kind="x", channel="sms", recipient="+7916",
                                                         body="b", due_at=start, client=client)
    get("accounts", "ApiToken").objects.create(user=users["admin"], name="lab", token_hash="h" * 64, prefix="cc_x")
    get("accounts", "AuditEvent").objects.create(action="view", subject_type="clients.client", subject_id="1")
    dewar = get("nitrogen", "Dewar").objects.create(clinic=clinic, name="СДС-35", capacity_l=35,
                                                   boil_off_l_per_day=0.3, boil_off_source="datasheet")
    get("nitrogen", "LevelReading").objects.create(dewar=dewar, at=start, kind="fill", level_l=30)
    get("knowledge", "ClinicKnowledgeItem").objects.create(
        procedure="facial-cryomassage", section="aftercare", code="our_cream", text_en="Cream", text_ru="Крем",
        source="our doctor",
    )
    city = get("directory", "City").objects.create(slug="tver", name_en="Tver", name_ru="Тверь")
    salon = get("directory", "Salon").objects.create(city=city, name="Север", address="ул. Советская, 1",
                                                     clinic=clinic)
    get("directory", "PriceEntry").objects.create(salon=salon, procedure="facial-cryomassage", amount_rub=990,
                                                  source="our price list")
    return {"clinic": clinic.pk, "boss": boss.pk, **{role: user.pk for role, user in users.items()}}


CLINIC_TABLES = [
    ("clients", "Client"), ("clients", "IntakeRecord"), ("scheduling", "Course"), ("scheduling", "Appointment"),
    ("scheduling", "Practitioner"), ("scheduling", "WorkingHours"), ("scheduling", "Room"),
    ("treatments", "SessionRecord"), ("treatments", "AdverseEvent"), ("notifications", "OutboxMessage"),
    ("accounts", "ApiToken"), ("accounts", "AuditEvent"), ("nitrogen", "Dewar"), ("nitrogen", "LevelReading"),
    ("knowledge", "ClinicKnowledgeItem"),
]


def test_the_previous_release_upgrades_and_its_clinic_becomes_the_first_tenant():
    assert PREVIOUS_RELEASE == "0.2.0"
    old = migrate(RELEASES[PREVIOUS_RELEASE])
    assert "clinics_membership" not in connection.introspection.table_names()
    ids = _release_0_2_0_data(old)
    counts = {label: old.get_model(*label).objects.count() for label in CLINIC_TABLES}
    new = migrate(latest())
    clinic = new.get_model("clinics", "Clinic").objects.get()
    assert (clinic.pk, clinic.name, clinic.status) == (ids["clinic"], "Криоклиника «Север»", "active") and clinic.slug
    for label in CLINIC_TABLES:
        rows = new.get_model(*label).objects
        assert rows.count() == counts[label], label
        assert set(rows.values_list("clinic_id", flat=True)) == {clinic.pk}, label
    roles = dict(new.get_model("clinics", "Membership").objects.values_list("user_id", "role"))
    assert roles == {ids["admin"]: "admin", ids["practitioner"]: "practitioner", ids["reception"]: "reception",
                     ids["boss"]: "admin"}
    assert new.get_model("clients", "Client").objects.get().user_id == ids["client"]  # the client role, as before
    assert not new.get_model("auth", "Group").objects.filter(name__in=["admin", "practitioner", "reception",
                                                                        "client"]).exists()
    price = new.get_model("directory", "ClinicPrice").objects.get()
    assert (price.clinic_id, price.procedure, price.amount_rub) == (clinic.pk, "facial-cryomassage", 990)
