"""Shared fixtures: a user for each role, and the demo clinic."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User

from cryoclinic.accounts.roles import ROLES

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _dose_answers_cache(tmp_path_factory):
    """The dose engine stores its answers per data and engine version (`dosimetry.tablecache`): in a directory
    of this test run (one per worker), so every run computes them afresh and nothing is written to the home."""
    os.environ["CRYOCLINIC_DOSE_CACHE"] = str(tmp_path_factory.mktemp("dose-answers"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(role: str | None, username: str | None = None, password: str = "s3cret-pass-2026") -> User:
        user = User.objects.create_user(username=username or f"user-{role or 'none'}", password=password)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        if role == "admin":
            user.is_staff = True
            user.save()
        return user

    return make


@pytest.fixture
def users(make_user) -> dict[str, User]:
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def demo(db) -> dict[str, int]:
    from cryoclinic.demo import load_demo

    return load_demo()


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests run where the suite runs on PostgreSQL (CI's second pass), and say why elsewhere."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
