"""Screening with the client's history: recording intakes, prerequisites and consent, and the booking check.

Every write of these records goes through here, so views, API and commands share one rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from cryoclinic.clients.models import Client, ConsentRecord, IntakeRecord, PrerequisiteRecord
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData, Text

from .engine import Decision, Reason, screen

BOOKABLE = ("eligible", "caution")


class RecordError(ValueError):
    """The record cannot be written as given; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def prerequisites_done(client: Client, procedure_slug: str) -> set[str]:
    done = PrerequisiteRecord.objects.filter(client=client, procedure=procedure_slug)
    return set(done.values_list("code", flat=True))


def _reasons_json(decision: Decision) -> list[dict[str, object]]:
    return [
        {"code": r.code, "decision": r.decision, "text": {"en": r.text.en, "ru": r.text.ru}, "source": r.source}
        for r in decision.reasons
    ]


@transaction.atomic
def record_intake(
    client: Client,
    procedure_slug: str,
    answers: Mapping[str, bool],
    *,
    by: User | None,
    today: dt.date,
    preparation_confirmed: Collection[str] = (),
    last_course_end: dt.date | None = None,
) -> IntakeRecord:
    """Screen the answers now and store them with the knowledge-base version: a new record every time."""
    procedure = knowledge.get_procedure(procedure_slug)
    preparation_codes = {item.code for item in procedure.preparation.before_the_day}
    unknown = sorted(set(preparation_confirmed) - preparation_codes)
    if unknown:
        raise RecordError("preparation_confirmed", f"{unknown[0]!r} is not a preparation item of this procedure")
    decision = screen(
        procedure, answers, today=today, last_course_end=last_course_end,
        prerequisites_done=prerequisites_done(client, procedure_slug),
    )
    return IntakeRecord.objects.create(
        client=client, procedure=procedure_slug, knowledge_version=procedure.version, answers=dict(answers),
        preparation_confirmed=sorted(preparation_confirmed), last_course_end=last_course_end,
        decision=decision.decision, reasons=_reasons_json(decision),
        missing_prerequisites=list(decision.missing_prerequisites), next_eligible_date=decision.next_eligible_date,
        recorded_by=by,
    )


def record_prerequisite(
    client: Client, procedure_slug: str, code: str, done_on: dt.date, *, by: User | None,
    today: dt.date, note: str = "",
) -> PrerequisiteRecord:
    procedure = knowledge.get_procedure(procedure_slug)
    known = [p.code for p in procedure.preparation.prerequisites]
    if code not in known:
        raise RecordError("code", f"{code!r} is not a prerequisite of this procedure; known: {', '.join(known) or '—'}")
    if done_on > today:
        raise RecordError("done_on", "A prerequisite cannot be done in the future.")
    return PrerequisiteRecord.objects.create(
        client=client, procedure=procedure_slug, code=code, done_on=done_on, note=note, recorded_by=by
    )


def record_consent(
    client: Client, procedure_slug: str, *, language: str, signed_on: dt.date, by: User | None,
    today: dt.date,
) -> ConsentRecord:
    procedure = knowledge.get_procedure(procedure_slug)
    if language not in ("ru", "en"):
        raise RecordError("language", "The consent document exists in Russian (ru) and English (en).")
    if signed_on > today:
        raise RecordError("signed_on", "Consent cannot be signed in the future.")
    return ConsentRecord.objects.create(
        client=client, procedure=procedure_slug, knowledge_version=procedure.version, language=language,
        signed_on=signed_on, recorded_by=by,
    )


def consent_on_file(client: Client, procedure: ProcedureData) -> bool:
    return not procedure.consent.required or ConsentRecord.objects.filter(
        client=client, procedure=procedure.slug
    ).exists()


@dataclass(frozen=True)
class BookingCheck:
    allowed: bool
    decision: str
    reasons: tuple[Reason, ...]
    missing_prerequisites: tuple[str, ...]
    missing_consent: bool
    next_eligible_date: dt.date | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def latest_intake(client: Client, procedure_slug: str) -> IntakeRecord | None:
    return IntakeRecord.objects.filter(client=client, procedure=procedure_slug).order_by("-recorded_at", "-id").first()


def may_book(
    client: Client,
    procedure_slug: str,
    on: dt.date,
    *,
    last_course_end: dt.date | None = None,
    adverse_event_codes: Sequence[str] = (),
) -> BookingCheck:
    """May `client` be booked for the procedure on `on`? The latest intake, re-screened with today's history."""
    procedure = knowledge.get_procedure(procedure_slug)
    intake = latest_intake(client, procedure_slug)
    missing_consent = not consent_on_file(client, procedure)
    if intake is None:
        no_intake = Reason(
            "intake_missing", "postpone",
            Text(en="No intake questionnaire on record.", ru="Нет анкеты перед процедурой."), "clinic:intake",
        )
        return BookingCheck(
            False, "postpone", (no_intake,), (), missing_consent, None,
            _cited(_("An intake questionnaire must be recorded before booking this procedure."), (no_intake,), ()),
        )
    # Answers given under an earlier knowledge version keep only the questions still asked.
    known = {c.code for c in procedure.contraindications}
    answers = {code: value for code, value in intake.answers.items() if code in known}
    decision = screen(
        procedure, answers, today=on, last_course_end=last_course_end or intake.last_course_end,
        prerequisites_done=prerequisites_done(client, procedure_slug), adverse_event_codes=adverse_event_codes,
    )
    allowed = decision.decision in BOOKABLE and not decision.missing_prerequisites and not missing_consent
    return BookingCheck(
        allowed, decision.decision, decision.reasons, decision.missing_prerequisites, missing_consent,
        decision.next_eligible_date, "" if allowed else _cited(
            _why_not(decision, missing_consent), decision.reasons,
            procedure.consent.sources if missing_consent else (),
        ),
    )


def _cited(message: str, reasons: Sequence[Reason], consent_sources: Sequence[str]) -> str:
    """A refusal names each rule that stands in the way and the source it comes from."""
    rules = [f"{r.code} ({r.source})" for r in reasons if r.decision != "caution"]
    if consent_sources:
        rules.append(f"consent_missing ({', '.join(consent_sources)})")
    if not rules:
        return message
    return _("%(message)s Rules: %(rules)s.") % {"message": message, "rules": "; ".join(rules)}


def _why_not(decision: Decision, missing_consent: bool) -> str:
    if decision.decision == "contraindicated":
        return _("The intake shows a contraindication: this procedure cannot be booked.")
    if decision.missing_prerequisites:
        return _("Not bookable until these are recorded: %(missing)s.") % {
            "missing": ", ".join(decision.missing_prerequisites)
        }
    if decision.decision == "postpone":
        if decision.next_eligible_date is not None:
            return _("Postponed: the earliest start is %(date)s.") % {"date": decision.next_eligible_date.isoformat()}
        return _("Postponed until the reasons shown are resolved and a new intake is recorded.")
    if missing_consent:
        return _("Signed informed consent is needed before booking this procedure.")
    return ""
