"""A second clinic, for tests that try another clinic's records on purpose."""

from __future__ import annotations

import pytest

from cryoclinic.clinics.models import Clinic


@pytest.fixture
def other_clinic(db) -> Clinic:
    return Clinic.objects.create(
        slug="clinic-b", name="Clinic B", city="Казань", address="ул. Другая, 2", phone="+78430000000",
        status=Clinic.Status.ACTIVE,
    )
