"""Session records: open from an appointment, re-screen, record, issue aftercare, complete, correct.

Every write goes through here and is audit-logged. The checklists are the knowledge base's: the
preparation items (`preparation.before_the_day`, confirmed in the re-screening intake), the techniques,
the protocol stages, the side effects and the aftercare of the procedure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cryoclinic.accounts import audit
from cryoclinic.clients.models import IntakeRecord
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.scheduling.models import Appointment
from cryoclinic.scheduling.services import change_appointment
from cryoclinic.screening import services as screening

from . import events
from .models import AdverseEvent, SessionRecord
from .zones import LESION_PROCEDURES, zones_for

DETAIL_FIELDS = (
    "technique", "zones", "lesion_site", "lesion_size_mm", "started_at", "ended_at", "stages_done", "reactions",
    "notes",
)
AFTERCARE_LANGUAGES = ("ru", "en")


class SessionError(ValueError):
    """The session cannot be changed as asked; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MissingItem:
    code: str
    label: str


class IncompleteSession(Exception):
    """Completion refused: every required item still missing is named."""

    def __init__(self, missing: list[MissingItem]) -> None:
        self.missing = missing
        super().__init__(_("The session cannot be completed; missing: %(items)s.") % {
            "items": "; ".join(item.label for item in missing)
        })


def current_record(appointment: Appointment) -> SessionRecord | None:
    return appointment.session_records.order_by("-version").first()


def versions(appointment: Appointment) -> list[SessionRecord]:
    return list(appointment.session_records.order_by("-version").select_related("created_by", "completed_by"))


@transaction.atomic
def open_session(appointment: Appointment, *, by: User | None) -> SessionRecord:
    """The appointment's session record: the existing one, or a new draft."""
    existing = current_record(appointment)
    if existing is not None:
        return existing
    if appointment.status in (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW):
        raise SessionError("appointment", _("A cancelled or missed appointment cannot be run as a session."))
    record = SessionRecord.objects.create(
        appointment=appointment, client_id=appointment.client_id, procedure=appointment.procedure,
        knowledge_version=knowledge.knowledge_version(appointment.procedure), created_by=by,
    )
    audit.record(by, "create", record, detail=f"session opened for appointment {appointment.pk}")
    return record


def _draft(record: SessionRecord) -> None:
    if record.status != SessionRecord.Status.DRAFT:
        raise SessionError("status", _("The session is completed; record a correction instead."))


@transaction.atomic
def rescreen(
    record: SessionRecord, answers: Mapping[str, bool], *, by: User | None, today: dt.date,
    preparation_confirmed: Collection[str] = (),
) -> IntakeRecord:
    """The client confirms today's answers: a new intake, screened by the engine, attached to the session."""
    _draft(record)
    intake = screening.record_intake(
        record.client, record.procedure, answers, by=by, today=today, preparation_confirmed=preparation_confirmed
    )
    record.intake = intake
    record.save(update_fields=["intake"])
    audit.record(by, "change", record, detail=f"re-screened at the session: {intake.decision}")
    return intake


def _validate(procedure: ProcedureData, details: Mapping[str, Any]) -> dict[str, Any]:
    """The details as stored; an unknown code or impossible value is refused naming the field."""
    clean = dict(details)
    unknown = set(clean) - set(DETAIL_FIELDS)
    if unknown:
        raise SessionError(sorted(unknown)[0], "Not a detail of a session record.")
    technique = clean.get("technique") or ""
    if technique and technique not in {t.code for t in procedure.techniques}:
        raise SessionError("technique", f"{technique!r} is not a technique of this procedure.")
    for field, known in (
        ("zones", {code for code, _label in zones_for(procedure.slug)}),
        ("stages_done", {s.code for s in procedure.protocol_stages}),
        ("reactions", {s.code for s in procedure.side_effects}),
    ):
        if field not in clean:
            continue
        codes = list(clean[field] or [])
        wrong = [code for code in codes if code not in known]
        if wrong:
            raise SessionError(field, f"{wrong[0]!r} is not one of: {', '.join(sorted(known)) or '—'}.")
        clean[field] = sorted(set(codes))
    size = clean.get("lesion_size_mm")
    if size is not None and not Decimal(0) < Decimal(size) < Decimal(1000):
        raise SessionError("lesion_size_mm", "The lesion size is a positive number of millimetres.")
    started, ended = clean.get("started_at"), clean.get("ended_at")
    if started and ended and ended <= started:
        raise SessionError("ended_at", _("The session must end after it starts."))
    return clean


@transaction.atomic
def update_session(record: SessionRecord, details: Mapping[str, Any], *, by: User | None) -> SessionRecord:
    _draft(record)
    clean = _validate(knowledge.get_procedure(record.procedure), details)
    for field, value in clean.items():
        setattr(record, field, value)
    record.save(update_fields=list(clean))
    audit.record(by, "change", record, detail="session details: " + ",".join(sorted(clean)))
    return record


@transaction.atomic
def issue_aftercare(record: SessionRecord, language: str, *, by: User | None) -> SessionRecord:
    """Record the knowledge base's aftercare as handed to the client (the PDF), in which language, by whom."""
    _draft(record)
    if language not in AFTERCARE_LANGUAGES:
        raise SessionError("language", "The aftercare document exists in Russian (ru) and English (en).")
    if not knowledge.get_procedure(record.procedure).aftercare:
        raise SessionError("language", _("The knowledge base lists no aftercare for this procedure."))
    record.aftercare_language, record.aftercare_given_by, record.aftercare_given_at = language, by, timezone.now()
    record.save(update_fields=["aftercare_language", "aftercare_given_by", "aftercare_given_at"])
    audit.record(by, "change", record, detail=f"aftercare given ({language})")
    return record


def missing_items(record: SessionRecord) -> list[MissingItem]:
    """Every required item not yet recorded, each named; empty when the session may be completed."""
    procedure = knowledge.get_procedure(record.procedure)
    language = get_language() or "ru"
    missing: list[MissingItem] = []
    if not screening.consent_on_file(record.client, procedure):
        missing.append(MissingItem("consent", _("signed informed consent on file")))
    intake = record.intake
    if intake is None:
        missing.append(MissingItem("rescreen", _("re-screening at the session (the client confirms today's answers)")))
    else:
        if intake.decision not in screening.BOOKABLE:
            found = ", ".join(r["text"].get("ru" if language.startswith("ru") else "en", "") for r in intake.reasons)
            missing.append(MissingItem("rescreen", _("re-screening that allows the procedure (found: %(found)s)")
                                       % {"found": found}))
        for item in procedure.preparation.before_the_day:
            if item.code not in intake.preparation_confirmed:
                missing.append(MissingItem(f"preparation:{item.code}", item.text.get(language)))
    if procedure.techniques and not record.technique:
        missing.append(MissingItem("technique", _("technique")))
    if zones_for(procedure.slug) and not record.zones:
        missing.append(MissingItem("zones", _("zones treated")))
    if procedure.slug in LESION_PROCEDURES:
        if not record.lesion_site:
            missing.append(MissingItem("lesion_site", _("lesion site")))
        if record.lesion_size_mm is None:
            missing.append(MissingItem("lesion_size_mm", _("lesion size (mm)")))
    if record.started_at is None:
        missing.append(MissingItem("started_at", _("start time")))
    if record.ended_at is None:
        missing.append(MissingItem("ended_at", _("end time")))
    for stage in procedure.protocol_stages:
        if stage.code not in record.stages_done:
            missing.append(MissingItem(f"stage:{stage.code}", _("protocol stage: %(stage)s")
                                       % {"stage": stage.text.get(language)}))
    reported = set(AdverseEvent.objects.filter(appointment_id=record.appointment_id).values_list("code", flat=True))
    labels = {s.code: s.text.get(language) for s in procedure.side_effects}
    for code in record.reactions:
        if code not in reported:
            missing.append(MissingItem(f"reaction:{code}", _("a report with its severity for the reaction: %(r)s")
                                       % {"r": labels.get(code, code)}))
    if procedure.aftercare and not record.aftercare_given_at:
        missing.append(MissingItem("aftercare", _("aftercare issued to the client")))
    return missing


def duration_warning(record: SessionRecord) -> str | None:
    """A warning when the session lasted outside the knowledge base's `course.session_duration_min` range."""
    allowed = knowledge.get_procedure(record.procedure).course.session_duration_min
    if allowed is None or record.started_at is None or record.ended_at is None:
        return None
    minutes = (record.ended_at - record.started_at).total_seconds() / 60
    if allowed.min <= minutes <= allowed.max:
        return None
    return _("The session lasted %(minutes)s min, outside the %(min)s–%(max)s min the knowledge base gives "
             "(%(source)s).") % {
        "minutes": f"{minutes:g}", "min": allowed.min, "max": allowed.max,
        "source": knowledge.sources().label(allowed.source, get_language() or "ru", short=True),
    }


@transaction.atomic
def complete_session(record: SessionRecord, *, by: User | None) -> SessionRecord:
    """Complete the session once nothing required is missing; the appointment is then done."""
    _draft(record)
    missing = missing_items(record)
    if missing:
        raise IncompleteSession(missing)
    record.status, record.completed_by, record.completed_at = SessionRecord.Status.COMPLETED, by, timezone.now()
    record.save(update_fields=["status", "completed_by", "completed_at"])
    appointment = record.appointment
    if appointment.status == Appointment.Status.BOOKED:
        change_appointment(appointment, status=Appointment.Status.DONE, by=by)
    if record.procedure in LESION_PROCEDURES:
        assert record.ended_at is not None
        events.plan_wound_care(record, timezone.localdate(record.ended_at))
    audit.record(by, "complete", record, detail=f"session completed for appointment {appointment.pk}")
    return record


@transaction.atomic
def correct_session(
    record: SessionRecord, changes: Mapping[str, Any], *, reason: str, by: User | None
) -> SessionRecord:
    """A correction of a completed record: a new version with the changes, who, when and why; the old one stays."""
    if record.status != SessionRecord.Status.COMPLETED:
        raise SessionError("status", _("Only a completed session is corrected; a session in progress is edited."))
    latest = current_record(record.appointment)
    if latest is None or latest.pk != record.pk:
        raise SessionError("version", _("Correct the latest version of the record."))
    if not reason.strip():
        raise SessionError("reason", _("Give the reason for the correction."))
    copied = {field: getattr(record, field) for field in DETAIL_FIELDS}
    clean = _validate(knowledge.get_procedure(record.procedure), copied | dict(changes))
    corrected = SessionRecord(
        appointment=record.appointment, version=record.version + 1, supersedes=record,
        status=SessionRecord.Status.DRAFT, client_id=record.client_id, procedure=record.procedure,
        knowledge_version=record.knowledge_version, intake=record.intake,
        aftercare_language=record.aftercare_language, aftercare_given_by=record.aftercare_given_by,
        aftercare_given_at=record.aftercare_given_at, correction_reason=reason.strip(), created_by=by,
        **clean,
    )
    missing = missing_items(corrected)
    if missing:
        raise IncompleteSession(missing)
    corrected.status, corrected.completed_by, corrected.completed_at = (
        SessionRecord.Status.COMPLETED, by, timezone.now()
    )
    corrected.save()
    audit.record(by, "correct", corrected, detail=f"v{corrected.version} of appointment {record.appointment_id}: "
                                                  f"{reason.strip()}")
    return corrected
