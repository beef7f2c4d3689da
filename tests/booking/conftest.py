"""A newcomer at the demo's first clinic: signed up, their phone verified, no record at the clinic yet."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cryoclinic.accounts.models import PhoneNumber
from cryoclinic.knowledge.loader import knowledge_base
from cryoclinic.notifications.models import OutboxMessage

MASSAGE = "facial-cryomassage"
NO = {c.code: False for c in knowledge_base().procedures[MASSAGE].contraindications}


@pytest.fixture
def newcomer(demo, db) -> User:
    user = User.objects.create_user(username="newcomer", password="s3cret-pass-2026", first_name="Вера",
                                    last_name="Новикова")
    PhoneNumber.objects.create(user=user, phone="+79161234567", verified_at=timezone.now())
    return user


@pytest.fixture
def clinic_id(demo) -> int:
    from cryoclinic.clinics.state import current_clinic

    return current_clinic().pk


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def last_code() -> str:
    """The code as the person reads it in the message the outbox holds for their phone."""
    body = OutboxMessage.objects.filter(kind="consent_code").order_by("-id").first().body
    return body.split(" ", 1)[0]


def monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())
