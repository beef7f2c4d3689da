"""One function per resource: a record of ours in, a validated `fhir.resources.R4B` resource out.

Constructing the model is the validation: a wrong type, a missing required element or an unknown code of a
required binding raises at once. Texts come from the knowledge base in the export's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from fhir.resources.R4B.address import Address
from fhir.resources.R4B.adverseevent import AdverseEvent as FhirAdverseEvent
from fhir.resources.R4B.adverseevent import AdverseEventSuspectEntity
from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.appointment import AppointmentParticipant
from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.consent import Consent, ConsentPolicy, ConsentProvision
from fhir.resources.R4B.contactpoint import ContactPoint
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.practitioner import Practitioner as FhirPractitioner
from fhir.resources.R4B.practitioner import PractitionerQualification
from fhir.resources.R4B.procedure import Procedure, ProcedurePerformer
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from cryoclinic.clients.models import Client, ConsentRecord, IntakeRecord
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.scheduling.models import Appointment, Clinic, Course, Practitioner, Room
from cryoclinic.treatments.models import OTHER_CODE, AdverseEvent, SessionRecord
from cryoclinic.treatments.zones import zone_label

from .codes import base_url, concept, extension, hl7, identifier, knowledge_version, reference, row_uuid

APPOINTMENT_STATUS = {"booked": "booked", "done": "fulfilled", "no_show": "noshow", "cancelled": "cancelled"}
CAREPLAN_STATUS = {"active": "active", "flagged": "on-hold", "completed": "completed", "cancelled": "revoked"}
# LOINC 59284-0, the consent document code of FHIR R4's example value set consent-category.
CONSENT_CATEGORY = CodeableConcept(
    coding=[Coding(system="http://loinc.org", code="59284-0", display="Patient Consent")]
)


@dataclass
class Links:
    """What the resources point at: the export's language, the patient, the staff users who are practitioners."""

    language: str
    patient: Reference
    practitioner_of_user: dict[int, Practitioner] = field(default_factory=dict)
    procedure_of_appointment: dict[int, Reference] = field(default_factory=dict)
    careplan_of_course: dict[int, Reference] = field(default_factory=dict)
    procedures: dict[str, ProcedureData | None] = field(default_factory=dict)

    def kb(self, slug: str) -> ProcedureData | None:
        """The procedure's knowledge (with the clinic's own items), read once per export; None if since removed."""
        if slug not in self.procedures:
            try:
                self.procedures[slug] = knowledge.get_procedure(slug)
            except knowledge.UnknownProcedure:
                self.procedures[slug] = None
        return self.procedures[slug]

    def practitioner(self, user_id: int | None) -> Reference | None:
        found = self.practitioner_of_user.get(user_id) if user_id is not None else None
        return reference(found, found.display_name) if found is not None else None

    def procedure_concept(self, slug: str) -> CodeableConcept:
        data = self.kb(slug)
        return concept("procedure", slug, data.name.get(self.language) if data else slug)


def patient(client: Client) -> Patient:
    telecom = [ContactPoint(system="phone", value=client.phone)] if client.phone else []
    if client.email:
        telecom.append(ContactPoint(system="email", value=client.email))
    return Patient(
        id=row_uuid(client), identifier=identifier(client), name=[HumanName(text=client.full_name)],
        telecom=telecom or None, birthDate=client.date_of_birth,
    )


def practitioner(row: Practitioner) -> FhirPractitioner:
    qualification = [PractitionerQualification(code=CodeableConcept(text=row.title))] if row.title else None
    return FhirPractitioner(
        id=row_uuid(row), identifier=identifier(row), name=[HumanName(text=row.display_name)],
        qualification=qualification,
    )


def organization(row: Clinic) -> Organization:
    return Organization(
        id=row_uuid(row), identifier=identifier(row), name=row.name,
        telecom=[ContactPoint(system="phone", value=row.phone)] if row.phone else None,
        address=[Address(text=row.address, city=row.city)],
    )


def location(row: Room) -> Location:
    return Location(
        id=row_uuid(row), identifier=identifier(row), name=row.name,
        managingOrganization=reference(row.clinic, row.clinic.name),
    )


def questionnaire_response(intake: IntakeRecord, links: Links) -> QuestionnaireResponse:
    """The intake's answers, one item per contraindication code, against the questionnaire of its KB version."""
    data = links.kb(intake.procedure)
    items = []
    for code, answer in intake.answers.items():
        known = data.contraindication(code) if data else None
        items.append(QuestionnaireResponseItem(
            linkId=code, text=known.question.get(links.language) if known else None,
            answer=[QuestionnaireResponseItemAnswer(valueBoolean=answer)] if isinstance(answer, bool) else None,
        ))
    if intake.last_course_end:
        items.append(QuestionnaireResponseItem(
            linkId="last_course_end", text=_("When did your last course end?"),
            answer=[QuestionnaireResponseItemAnswer(valueDate=intake.last_course_end)],
        ))
    return QuestionnaireResponse(
        id=row_uuid(intake), identifier=identifier(intake)[0],
        questionnaire=f"{base_url()}/Questionnaire/intake-{intake.procedure}|{intake.knowledge_version}",
        status="completed", subject=links.patient, source=links.patient, authored=intake.recorded_at,
        author=links.practitioner(intake.recorded_by_id), item=items or None,
    )


def consent(record: ConsentRecord, links: Links) -> Consent:
    """Signed informed consent to one procedure; the policy is the law the knowledge base cites for it."""
    data = links.kb(record.procedure)
    cited = data.consent.sources if data else []
    publications = knowledge.sources().publications
    urls = [publications[ref.removeprefix("pub:")].get("url", "") for ref in cited if ref.startswith("pub:")]
    policy = [ConsentPolicy(uri=url) for url in urls if url]
    rule = None if policy else CodeableConcept(text=data.consent.text.get(links.language) if data else record.procedure)
    return Consent(
        id=row_uuid(record), identifier=identifier(record), status="active",
        scope=hl7("consentscope", "treatment", "Treatment"), category=[CONSENT_CATEGORY], patient=links.patient,
        dateTime=record.signed_on,  # type: ignore[arg-type]  # FHIR dateTime may be a bare date
        policy=policy or None, policyRule=rule,
        sourceAttachment=Attachment(language=record.language, title=_("Informed consent")),
        provision=ConsentProvision(type="permit", code=[links.procedure_concept(record.procedure)]),
        extension=[knowledge_version(record.knowledge_version)],
    )


def appointment(row: Appointment, links: Links) -> FhirAppointment:
    accepted = "accepted"
    participants = [
        AppointmentParticipant(actor=links.patient, status=accepted),
        AppointmentParticipant(actor=reference(row.practitioner, row.practitioner.display_name), status=accepted),
        AppointmentParticipant(actor=reference(row.room, row.room.name), status=accepted),
    ]
    service = links.procedure_concept(row.procedure)
    number = _(" — session %(number)s") % {"number": row.session_number} if row.session_number else ""
    return FhirAppointment(
        id=row_uuid(row), identifier=identifier(row), status=APPOINTMENT_STATUS[row.status],
        serviceType=[service], description=f"{service.text}{number}", start=row.starts_at, end=row.ends_at,
        created=row.created_at, participant=participants,
    )


def procedure(record: SessionRecord, first: SessionRecord, links: Links) -> Procedure:
    """The current version of a completed session; its id is the first version's, so corrections keep it."""
    data = links.kb(record.procedure)
    techniques = {t.code: t.name.get(links.language) for t in data.techniques} if data else {}
    side_effects = {s.code: s.text.get(links.language) for s in data.side_effects} if data else {}
    sites = [concept("zone", code, zone_label(code), text=zone_label(code)) for code in record.zones]
    if record.lesion_site:
        sites.append(CodeableConcept(text=record.lesion_site))
    notes = [record.notes] if record.notes else []
    if record.lesion_size_mm is not None:
        notes.append(_("Lesion size: %(size)s mm") % {"size": record.lesion_size_mm})
    if record.correction_reason:
        notes.append(_("Corrected (version %(version)s): %(reason)s") % {
            "version": record.version, "reason": record.correction_reason})
    extensions = [knowledge_version(record.knowledge_version)]
    if record.technique:
        name = techniques.get(record.technique, record.technique)
        extensions.append(extension("technique", valueCodeableConcept=concept("technique", record.technique, name)))
    appointment = record.appointment
    performer = appointment.practitioner
    course = links.careplan_of_course.get(appointment.course_id) if appointment.course_id else None
    return Procedure(
        id=row_uuid(first), identifier=identifier(first), meta=Meta(versionId=str(record.version)),
        status="completed", code=links.procedure_concept(record.procedure), subject=links.patient,
        basedOn=[course] if course else None,
        performedPeriod=Period(start=record.started_at, end=record.ended_at) if record.started_at else None,
        performer=[ProcedurePerformer(actor=reference(performer, performer.display_name))],
        recorder=links.practitioner(record.completed_by_id),
        location=reference(appointment.room, appointment.room.name),
        bodySite=sites or None,
        complication=[concept("side-effect", c, side_effects.get(c, c)) for c in record.reactions] or None,
        note=[Annotation(text=text) for text in notes] or None, extension=extensions,
    )


def adverse_event(event: AdverseEvent, links: Links) -> FhirAdverseEvent:
    """A reaction coded by the KB side effect; severity as graded (CTCAE v5.0 grades 1–3, see the model)."""
    data = links.kb(event.procedure)
    if event.code == OTHER_CODE:
        coded = CodeableConcept(text=event.description)
    else:
        labels = {s.code: s.text.get(links.language) for s in data.side_effects} if data else {}
        display = labels.get(event.code, event.code)
        coded = concept("side-effect", event.code, display, text=event.description or display)
    resolved = event.resolved_on is not None
    suspect = links.procedure_of_appointment.get(event.appointment_id) if event.appointment_id else None
    return FhirAdverseEvent(
        id=row_uuid(event), identifier=identifier(event)[0], actuality="actual", event=coded, subject=links.patient,
        date=event.onset_on,  # type: ignore[arg-type]  # FHIR dateTime may be a bare date: the day of onset
        recordedDate=event.reported_at,
        severity=hl7("adverse-event-severity", event.severity, event.severity.capitalize()),
        outcome=hl7("adverse-event-outcome", *(("resolved", "Resolved") if resolved else ("ongoing", "Ongoing"))),
        recorder=links.practitioner(event.reported_by_id),
        suspectEntity=[AdverseEventSuspectEntity(instance=suspect)] if suspect else None,
        extension=[extension("resolved-on", valueDate=event.resolved_on)] if resolved else None,
    )


def care_plan(course: Course, sessions: list[Appointment], links: Links) -> CarePlan:
    """A course: its sessions as activities (each the Appointment, and the Procedure once done)."""
    activities = []
    for session in sessions:
        done = links.procedure_of_appointment.get(session.pk)
        activities.append(CarePlanActivity(reference=reference(session), outcomeReference=[done] if done else None))
    live = [s for s in sessions if s.status != Appointment.Status.CANCELLED]
    period = Period(start=live[0].starts_at, end=live[-1].ends_at) if live else None
    rules = course.rules
    description = _("%(sessions)s sessions, %(min)s–%(max)s days apart") % {
        "sessions": rules.get("sessions"), "min": rules.get("min_gap_days"), "max": rules.get("max_gap_days"),
    }
    return CarePlan(
        id=row_uuid(course), identifier=identifier(course), status=CAREPLAN_STATUS[course.status], intent="plan",
        title=links.procedure_concept(course.procedure).text, description=description, subject=links.patient,
        period=period, created=course.created_at, author=links.practitioner(course.created_by_id),
        activity=activities or None, note=[Annotation(text=course.flag_reason)] if course.flag_reason else None,
        extension=[knowledge_version(course.knowledge_version)],
    )

