"""Shared fixtures: the clinic a test acts in, a user for each role there, and the demo.

A test that uses the database acts inside one clinic ("Clinic A", created for it) unless it asks for another:
what it creates belongs to that clinic, as in a request of one of its staff. Requests made by the test client
set their own clinic (the middleware), so the ambient one never leaks into a view."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from cryoclinic.accounts.roles import CLIENT, PLATFORM_ADMIN, ROLES, STAFF_ROLES
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic, Membership

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _dose_answers_cache(tmp_path_factory):
    """The dose engine stores its answers per data and engine version (`dosimetry.tablecache`): in a directory
    of this test run (one per worker), so every run computes them afresh and nothing is written to the home."""
    os.environ["CRYOCLINIC_DOSE_CACHE"] = str(tmp_path_factory.mktemp("dose-answers"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """A cached answer never outlives the test whose database it was read from (rolled back after it)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = FAST_HASHERS


def _uses_database(request: pytest.FixtureRequest) -> bool:
    names = set(request.fixturenames)
    return bool(names & {"db", "transactional_db", "live_server"}) or request.node.get_closest_marker("django_db")


def new_clinic(slug: str = "clinic-a", name: str = "Clinic A", **fields: object) -> Clinic:
    defaults = {"name": name, "city": "Москва", "address": "ул. Тестовая, 1", "phone": "+74950000000",
                "time_zone": "Europe/Moscow", "status": Clinic.Status.ACTIVE}
    return Clinic.objects.create(slug=slug, **{**defaults, **fields})


@pytest.fixture(autouse=True)
def clinic(request: pytest.FixtureRequest):
    """The clinic the test acts in (None for tests without the database)."""
    if not _uses_database(request) or request.node.get_closest_marker("no_clinic"):
        yield None
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = {"transactional_db"}
    request.getfixturevalue("transactional_db" if transactional else "db")
    with state.platform():
        row = Clinic.objects.filter(slug="clinic-a").first() or new_clinic()
    with state.activate(row):
        yield row


def add_role(user: User, role: str, clinic: Clinic | None = None) -> None:
    """Give `user` a role in `clinic` (the active one by default): a membership, a client record, or the group."""
    from cryoclinic.accounts.roles import forget_roles
    from cryoclinic.clients.models import Client

    clinic = clinic or state.current_clinic()
    if role == PLATFORM_ADMIN:
        user.groups.add(Group.objects.get_or_create(name=PLATFORM_ADMIN)[0])
    elif clinic is None:
        raise RuntimeError("a clinic role needs a clinic")
    else:
        with state.activate(clinic):
            if role == CLIENT:
                Client.objects.get_or_create(user=user, defaults={"full_name": user.get_full_name() or user.username,
                                                                   "phone": "+79990000000"})
            elif role in STAFF_ROLES:
                Membership.objects.update_or_create(user=user, defaults={"role": role})
            else:
                raise ValueError(role)
    forget_roles(user)


@pytest.fixture
def grant_role(db) -> Callable[..., None]:
    """`grant_role(user, role, clinic=None)`: a membership, a client record or the platform admin's group."""
    return add_role


@pytest.fixture
def other_clinic(db) -> Clinic:
    """A second clinic ("Clinic B"), live, in another city."""
    with state.platform():
        return new_clinic(slug="clinic-b", name="Clinic B", city="Тверь", address="ул. Советская, 2")


@pytest.fixture
def make_user(db, request: pytest.FixtureRequest) -> Callable[..., User]:
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")  # users of a demo test belong to the demo's first clinic
    def make(role: str | None, username: str | None = None, password: str = "s3cret-pass-2026",
             clinic: Clinic | None = None) -> User:
        user = User.objects.create_user(username=username or f"user-{role or 'none'}", password=password)
        if role is not None:
            add_role(user, role, clinic)
        if role in ("admin", PLATFORM_ADMIN):
            user.is_staff = True
            user.save()
        return user

    return make


@pytest.fixture
def link_client(db) -> Callable[..., None]:
    """Make `record` the client record of `user` in the active clinic (the one `make_user` gave them goes)."""
    from cryoclinic.accounts.roles import forget_roles
    from cryoclinic.clients.models import Client

    def link(record: object, user: User) -> None:
        pk = getattr(record, "pk", record)
        Client.objects.filter(user=user).exclude(pk=pk).delete()
        Client.objects.filter(pk=pk).update(user=user)
        forget_roles(user)

    return link


@pytest.fixture
def users(make_user) -> dict[str, User]:
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def demo(db, clinic) -> dict[str, int]:
    """The demo platform (two clinics); the test then acts in the first demo clinic."""
    from cryoclinic.demo import FIRST_CLINIC_SLUG, load_demo

    with state.platform():
        loaded = load_demo()
        first = Clinic.objects.get(slug=FIRST_CLINIC_SLUG)
    with state.activate(first):
        yield loaded


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests run where the suite runs on PostgreSQL (CI's second pass), and say why elsewhere."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
