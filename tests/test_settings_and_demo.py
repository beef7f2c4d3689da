import os
import subprocess
import sys
from pathlib import Path

import pytest

from cryoclinic.clinics.state import current_clinic

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env = inherited | env
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_deploy_checks_are_clean_with_debug_off(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0",
                     SECRET_KEY="k" * 20 + "Zq8!xP0v#L2m@R7t$W4y%N6b^C3d&F9g", ALLOWED_HOSTS="clinic.example.com",
                     CRYOCLINIC_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_is_refused(tmp_path):
    result = _manage("check", DEBUG="0", SECRET_KEY="", CRYOCLINIC_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_debug_value_is_named(tmp_path):
    result = _manage("check", DEBUG="maybe", CRYOCLINIC_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "DEBUG must be 1 or 0" in result.stderr


def test_first_run_creates_and_migrates_sqlite_under_var_and_loads_demo(tmp_path):
    assert _manage("migrate", "--noinput", CRYOCLINIC_VAR_DIR=str(tmp_path)).returncode == 0
    first = _manage("load_demo", CRYOCLINIC_VAR_DIR=str(tmp_path))
    second = _manage("load_demo", CRYOCLINIC_VAR_DIR=str(tmp_path))
    assert (tmp_path / "cryoclinic.sqlite3").exists()
    expected = "2 clinics, 5 practitioners, 4 rooms, 28 clients"
    assert expected in first.stdout and expected in second.stdout


def test_demo_refuses_with_debug_off(tmp_path):
    _manage("migrate", "--noinput", CRYOCLINIC_VAR_DIR=str(tmp_path))
    result = _manage("load_demo", DEBUG="0", SECRET_KEY="x" * 50, CRYOCLINIC_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "Refusing" in result.stderr


@pytest.mark.django_db
def test_demo_clinic_contents(demo):
    from cryoclinic.clients.models import Client

    clinic = current_clinic()
    assert clinic.opening_hours.count() == 6
    assert clinic.rooms.count() == 2 and clinic.practitioners.count() == 3
    assert Client.objects.count() == 20
    assert all(c.phone.startswith("+79") and len(c.phone) == 12 for c in Client.objects.all())


def test_demo_clients_are_screened_for_cryomassage_and_most_may_be_booked(demo):
    from django.utils import timezone

    from cryoclinic.clients.models import Client, IntakeRecord
    from cryoclinic.demo import load_demo
    from cryoclinic.screening.services import may_book

    checks = [may_book(c, "facial-cryomassage", timezone.localdate()) for c in Client.objects.order_by("id")]
    assert sum(check.allowed for check in checks) == 18  # the rosacea client is bookable with caution
    assert {check.decision for check in checks} == {"eligible", "caution", "postpone", "contraindicated"}
    load_demo()
    assert IntakeRecord.objects.count() == 20  # loading twice adds nothing


def test_the_demo_command_books_three_courses_and_two_past_ones_once(demo, settings):
    from django.core.management import call_command

    from cryoclinic.nitrogen.models import Dewar
    from cryoclinic.scheduling.models import Appointment, Course

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    assert Course.objects.filter(status="active").count() == 3
    assert Appointment.objects.filter(status="booked", course__isnull=False).count() == 30
    assert Appointment.objects.filter(status="booked", course__isnull=True).count() == 1  # today's demo session
    assert Course.objects.filter(status__in=["completed", "cancelled"]).count() == 2
    assert Dewar.objects.count() == 1
