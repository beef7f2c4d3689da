"""Schemathesis fuzzes every operation of the OpenAPI document in-process (WSGI), anonymously and as a clinic
admin with a bearer token: no 500s, every status code documented, every body as the document says."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from cryoclinic.accounts import tokens

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Few examples per operation keep the suite within minutes on two cores; CRYOCLINIC_FUZZ_EXAMPLES=500 hunts longer.
FUZZ = settings(
    max_examples=int(os.environ.get("CRYOCLINIC_FUZZ_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


# Loaded when the module is collected (reading the document touches no database). schemathesis' lazy
# `from_fixture` loader relies on a pytest internal that pytest 9 no longer has.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client: a request must not close the connection that holds the test's transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def admin_token(db, users, demo) -> str:
    return tokens.issue(users["admin"], "fuzzing")[1]


@schema.parametrize()
@FUZZ
def test_anonymous_calls_never_break_the_contract(case, db):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_an_admins_calls_never_break_the_contract(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
