"""Every model is either a clinic's own (its clinic, read through the clinic's scope) or shared, and says why;
and no code reads across clinics except where listed here with its reason."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django_scopes import ScopeError

import cryoclinic
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic, ClinicOwned

# What the platform issue names as a clinic's own, model by model.
CLINIC_OWNED = {
    "clinics.Membership",  # staff memberships
    "scheduling.Practitioner", "scheduling.Room", "scheduling.OpeningHours", "scheduling.WorkingHours",
    "scheduling.Absence", "scheduling.ClosedDay",  # practitioners, rooms, hours, closed days
    "clients.Client", "clients.IntakeRecord", "clients.PrerequisiteRecord", "clients.ConsentRecord",
    "scheduling.Course", "scheduling.Appointment", "treatments.SessionRecord", "treatments.AdverseEvent",
    "treatments.OutcomeScore", "treatments.OutcomePhoto", "treatments.FollowUpTask",
    "nitrogen.Dewar", "nitrogen.LevelReading", "nitrogen.ConsumptionRate",
    "directory.ClinicPrice",  # the price list
    "payments.Shop", "payments.DepositPolicy", "payments.Deposit", "payments.Notification",  # deposits
    "notifications.OutboxMessage", "accounts.AuditEvent", "accounts.ApiToken", "scheduling.CalendarFeed",
    "knowledge.ClinicKnowledgeItem", "clients.DeletionRequest",
    "guidance.CoolantReading",  # the clinic's readings of its own coolant (calibration)
    "booking.OnlineIntake", "booking.ConsentCode", "booking.SignedConsent",  # online intake mark, e-signature
}
# Shared by every clinic (Citus reference tables or the platform's own), each with the reason.
SHARED = {
    "clinics.Clinic": "the tenant itself",
    "directory.City": "reference data: the source's cities",
    "directory.Salon": "the platform's directory: listings from the source, or run by a clinic",
    "directory.PriceEntry": "prices cited from a source, shown to everyone",
    "directory.PendingRow": "the platform's import queue for the source's table",
    "directory.Review": "the platform's reviews, moderated by the platform admin",
    "directory.SalonClaim": "a clinic's claim of a directory salon, decided by the platform admin",
    "directory.BookingRequest": "requests to a salon from the public directory (listings have no clinic)",
    "accounts.PhoneNumber": "a person's own phone, the same for every clinic they visit",
    "account.EmailAddress": "a person's own email (django-allauth), the same for every clinic they visit",
    "account.EmailConfirmation": "a pending proof of a person's email (django-allauth)",
    "accounts.PlatformAuditEvent": "the platform's own log: what happened outside any clinic",
    "notifications.PlatformMessage": "the platform's own messages (to salons not on the platform)",
}
FRAMEWORK_APPS = {"admin", "auth", "contenttypes", "sessions", "axes", "django_q"}  # django_q: the task queue


def _project_models() -> dict[str, type[models.Model]]:
    return {m._meta.label: m for m in apps.get_models() if m._meta.app_label not in FRAMEWORK_APPS}


def test_every_model_is_a_clinics_own_or_shared_with_a_reason():
    labels = set(_project_models())
    assert labels - CLINIC_OWNED - set(SHARED) == set(), "classify the new model here"
    assert (CLINIC_OWNED | set(SHARED)) - labels == set()


@pytest.mark.parametrize("label", sorted(CLINIC_OWNED))
def test_a_clinics_model_carries_its_clinic(label):
    model = apps.get_model(label)
    assert issubclass(model, ClinicOwned)
    field = model._meta.get_field("clinic")
    assert field.related_model is Clinic and not field.null and field.db_column in (None, "clinic_id")


@pytest.mark.parametrize("label", sorted(SHARED))
def test_a_shared_model_is_not_scoped(label):
    assert not issubclass(apps.get_model(label), ClinicOwned)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(CLINIC_OWNED))
def test_a_clinics_model_cannot_be_read_outside_a_clinic_and_reads_only_its_clinic_inside(label, clinic):
    model = apps.get_model(label)
    with state.no_clinic():
        for manager in model._meta.managers:
            with pytest.raises(ScopeError):
                list(manager.all())
            with pytest.raises(ScopeError):
                manager.filter(pk=1).exists()
    with state.activate(clinic):
        for manager in model._meta.managers:
            sql = str(manager.all().query)
            assert re.search(rf'"{model._meta.db_table}"\."clinic_id" = {clinic.pk}\b', sql), sql


# Code that reads across clinics, file by file, with how often and why. Anything else is a scoping bug.
UNSCOPED = {
    "clinics/state.py": (1, "each_clinic lists the clinics for the scheduler's loop"),
    "clinics/services.py": (1, "clinics_of: the signed-in person's own memberships and client records"),
    "clinics/models.py": (2, "check_same_clinic (one row, or rows in bulk) reads the clinic of a record a new row "
                          "points at"),
    "accounts/tokens.py": (1, "clinic_of: a bearer token names its clinic"),
    "accounts/idle.py": (1, "holds_staff_role: whether the signed-in person is staff in any clinic (idle sign-out)"),
    "scheduling/feeds.py": (1, "active_feed: a calendar feed's token names its clinic"),
    "notifications/services.py": (1, "deliver_due: delivery is the platform's, for every clinic"),
    "directory/live.py": (1, "offered_by: the public directory reads what each clinic offers (its price list)"),
    "demo.py": (1, "the demo platform: users and the platform admin"),
    "ops/backup.py": (3, "a backup holds every clinic's rows, a restore writes them back"),
}
PATTERN = re.compile(r"with (state\.)?platform\(\)|scopes_disabled\(|\._base_manager\b")


def test_cross_clinic_reads_are_only_the_listed_ones():
    root = Path(cryoclinic.__file__).parent
    found: Counter[str] = Counter()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative == "clinics/rls.py":
            continue
        text = path.read_text()
        for line in text.splitlines():
            if PATTERN.search(line):
                found[relative] += 1
    assert dict(found) == {path: count for path, (count, _why) in UNSCOPED.items()}
