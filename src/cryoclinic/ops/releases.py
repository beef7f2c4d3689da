"""The migration state of each earlier release (today's is 0.3.0), so that upgrades can be tested: migrating
from a release's state (with its data) to today's must work. Add the outgoing release here when the version in
pyproject.toml changes."""

from __future__ import annotations

# 0.1.0: foundation, screening, scheduling, directory, nitrogen (main at 344a98e, 2026-11-24).
RELEASES: dict[str, list[tuple[str, str | None]]] = {
    "0.1.0": [
        ("accounts", "0001_initial"),
        ("clients", "0002_consentrecord_prerequisiterecord_intakerecord"),
        ("directory", "0001_initial"),
        ("knowledge", "0001_initial"),
        ("nitrogen", "0001_initial"),
        ("notifications", "0001_initial"),
        ("scheduling", "0004_calendar_feeds"),
        ("treatments", None),  # the app came later: none of its migrations
        ("clinics", None),
    ],
}
# 0.2.0: one clinic per installation: treatments, nitrogen, reports, API, FHIR (main at 4347567, 2026-11-29).
RELEASES["0.2.0"] = [
    ("accounts", "0002_api_token"),
    ("clients", "0002_consentrecord_prerequisiterecord_intakerecord"),
    ("directory", "0001_initial"),
    ("knowledge", "0001_initial"),
    ("nitrogen", "0001_initial"),
    ("notifications", "0001_initial"),
    ("scheduling", "0005_appointment_technique_price"),
    ("treatments", "0001_initial"),
    ("clinics", None),  # the tenant came later
]
PREVIOUS_RELEASE = "0.2.0"
