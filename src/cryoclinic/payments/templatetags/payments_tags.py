"""`{% deposit_note course %}`: what a booking shows about its deposit (the link to pay, or why none online)."""

from __future__ import annotations

from typing import Any

from django import template

from cryoclinic.payments import services
from cryoclinic.scheduling.models import Course

register = template.Library()


@register.inclusion_tag("payments/_deposit_note.html")
def deposit_note(course: Course) -> dict[str, Any]:
    return {"course": course, "due": services.deposit_due(course)}
