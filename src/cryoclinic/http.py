"""Small helpers for views that read record ids from a form."""

from __future__ import annotations

from django.http import HttpRequest

MAX_ID = 2**63 - 1


def posted_id(request: HttpRequest, name: str) -> int:
    """The id a form posted under `name`; 0 (found nowhere: a 404) for anything but a database id."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and int(value) <= MAX_ID else 0
