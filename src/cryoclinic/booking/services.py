"""Online booking, step by step, for a signed-in person at any live clinic of the platform.

1. `answer_questionnaire`: the screening questions answered online become an intake record of the clinic (its
   Client record for the person is created, or linked by a verified contact, on the first step), marked online:
   the clinic screens again on the day. A contraindication stops here, with the reasons and their sources.
2. `send_consent_code` and `sign_consent`: a one-time code to the person's verified phone (or else email) signs
   the consent document shown (simple electronic signature, 63-FZ): what was signed, its version, language and
   time are kept. A code that is wrong, expired or used is refused and signs nothing.
3. `propose` and `book`: the planner proposes every session (or one) at the time of day the person picks; booking
   goes through `scheduling.services.book_course`, so screening, the repeat interval and one course at a time hold
   as on every path. Caution makes the course a request the clinic confirms. Times taken meanwhile: `SlotTaken`
   with the next free plan.
Every function acts inside the clinic's scope (`state.activate`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic.accounts.contacts import verified_email, verified_phone
from cryoclinic.clients.models import Client, IntakeRecord, client_of
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.directory.live import price_list
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData
from cryoclinic.notifications import services as outbox
from cryoclinic.scheduling import services as scheduling
from cryoclinic.scheduling.availability import ANY_TIME
from cryoclinic.scheduling.models import Course
from cryoclinic.scheduling.planning import PlanResult
from cryoclinic.screening import documents
from cryoclinic.screening import services as screening

from .models import ConsentCode, OnlineIntake, SignedConsent

CODE_LIFE = dt.timedelta(minutes=10)
CODE_TRIES = 5
CODE_DIGITS = 6


class BookingError(ValueError):
    """The step cannot be taken as asked; the message names the field and what to do (a 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotOffered(LookupError):
    """The clinic is not live, or does not offer the procedure online (a 404); `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SlotTaken(Exception):
    """The times the person saw were taken meanwhile (a 409): `plan` is the next free proposal, if any."""

    def __init__(self, plan: PlanResult) -> None:
        first = plan.sessions[0].start if plan.ok and plan.sessions else None
        self.next_free = first
        message = _("The time you chose was taken a moment ago.")
        if first is not None:
            message += " " + _("The next free time is %(when)s.") % {"when": first.isoformat(timespec="minutes")}
        super().__init__(message)
        self.plan = plan


@dataclass(frozen=True)
class Choice:
    """What the person asks for: a procedure, from a day, at a time of day, one session or the whole course."""

    procedure: str
    start: dt.date
    time_of_day: dt.time
    whole_course: bool = True


def live_clinic(clinic_id: int) -> Clinic:
    clinic = Clinic.objects.filter(pk=clinic_id, status=Clinic.Status.ACTIVE).first()
    if clinic is None:
        raise NotOffered("clinic_id", _("No live clinic #%(id)s.") % {"id": clinic_id})
    return clinic


def offered_procedure(clinic: Clinic, slug: str) -> ProcedureData:
    """The procedure, if the clinic offers it (its price list) and the knowledge base gives its course rules."""
    try:
        procedure = knowledge.get_procedure(slug)
    except knowledge.UnknownProcedure as exc:
        raise BookingError("procedure", _("Unknown procedure %(slug)r.") % {"slug": slug}) from exc
    if slug not in price_list(clinic) or not procedure.course.sessions_per_course:
        raise NotOffered("procedure", _("%(clinic)s does not offer %(procedure)s online.") % {
            "clinic": clinic.name, "procedure": slug})
    return procedure


def client_record(clinic: Clinic, user: User) -> Client:
    """The person's record at the clinic: theirs, or one the clinic holds with their verified phone or email (then
    linked), or a new one. Call inside the clinic's scope."""
    own = client_of(user)
    if own is not None:
        return own
    phone, email = verified_phone(user), verified_email(user)
    match = Q(pk__in=[])
    if phone:
        match |= Q(phone=phone)
    if email:
        match |= Q(email__iexact=email)
    found = Client.objects.filter(match, user__isnull=True).order_by("pk").first()
    if found is not None:
        found.user = user
        found.save(update_fields=["user", "updated_at"])
        return found
    return Client.objects.create(
        clinic=clinic, user=user, full_name=user.get_full_name() or user.get_username(),
        phone=phone or "", email=email or "",
    )


def answers_from(procedure: ProcedureData, given: Mapping[str, object]) -> dict[str, bool]:
    """Every question of the procedure answered yes or no; anything else names the question."""
    known = {c.code for c in procedure.contraindications}
    for code in given:
        if code not in known:
            raise BookingError(f"answers.{code}", _("%(code)r is not a question of this procedure.") % {"code": code})
    answers = {}
    for item in procedure.contraindications:
        value = given.get(item.code)
        if not isinstance(value, bool):
            raise BookingError(f"answers.{item.code}", _("Answer yes or no: %(question)s") % {
                "question": item.question.get(_language())})
        answers[item.code] = value
    return answers


def _language() -> str:
    from django.utils.translation import get_language

    return "ru" if (get_language() or "ru").startswith("ru") else "en"


def answer_questionnaire(
    clinic: Clinic, user: User, procedure_slug: str, given: Mapping[str, object], *, today: dt.date
) -> IntakeRecord:
    procedure = offered_procedure(clinic, procedure_slug)
    answers = answers_from(procedure, given)
    with state.activate(clinic), transaction.atomic():
        client = client_record(clinic, user)
        intake = screening.record_intake(
            client, procedure.slug, answers, by=user, today=today,
            last_course_end=scheduling.last_course_end(client, procedure.slug),
        )
        OnlineIntake.objects.create(intake=intake, answered_by=user)
    return intake


def latest_check(clinic: Clinic, user: User, procedure_slug: str, on: dt.date) -> screening.BookingCheck | None:
    """Screening as a booking would ask it now; None before the questionnaire."""
    with state.activate(clinic):
        client = client_of(user)
        if client is None or screening.latest_intake(client, procedure_slug) is None:
            return None
        request = scheduling.PlanInput(client=client, procedure=procedure_slug, start=on, availability=ANY_TIME)
        return scheduling.booking_check(request)


def _screened_client(clinic: Clinic, user: User, procedure_slug: str, today: dt.date) -> Client:
    """The person's record, once their latest intake allows booking (consent may still be missing)."""
    client = client_of(user)
    intake = screening.latest_intake(client, procedure_slug) if client else None
    if client is None or intake is None:
        raise BookingError("procedure", _("Answer the screening questionnaire first."))
    check = scheduling.booking_check(
        scheduling.PlanInput(client=client, procedure=procedure_slug, start=today, availability=ANY_TIME)
    )
    if check.decision not in screening.BOOKABLE or check.missing_prerequisites:
        raise BookingError("procedure", check.message)
    return client


def consent_document(client: Client, procedure_slug: str, language: str, today: dt.date) -> str:
    return documents.render_html(client, procedure_slug, "consent", language, today)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _code_hash(code_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{code_id}:{code}".encode(), hashlib.sha256).hexdigest()


def send_consent_code(
    clinic: Clinic, user: User, procedure_slug: str, language: str, *, now: dt.datetime
) -> ConsentCode:
    """A new code to the verified phone (else email): it signs the consent document in `language` as shown now."""
    offered_procedure(clinic, procedure_slug)
    if language not in ("ru", "en"):
        raise BookingError("language", _("The consent document exists in Russian (ru) and English (en)."))
    phone, email = verified_phone(user), verified_email(user)
    if not phone and not email:
        raise BookingError("contact", _("Verify your phone or email first: the signing code is sent there."))
    channel, destination = ("sms", phone) if phone else ("email", email)
    assert destination is not None
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    today = timezone.localdate(now)
    with state.activate(clinic), transaction.atomic():
        client = _screened_client(clinic, user, procedure_slug, today)
        document = consent_document(client, procedure_slug, language, today)
        row = ConsentCode.objects.create(
            client=client, procedure=procedure_slug, language=language,
            knowledge_version=knowledge.get_procedure(procedure_slug).version, document_sha256=_digest(document),
            channel=channel, destination=destination, code_hash="-", expires_at=now + CODE_LIFE,
        )
        ConsentCode.objects.filter(pk=row.pk).update(code_hash=_code_hash(row.pk, code))
        text = _("%(code)s is your code to sign the consent to %(procedure)s at %(clinic)s. Valid 10 minutes.") % {
            "code": code, "procedure": procedure_slug, "clinic": clinic.name}
        outbox.enqueue(
            key=f"consent-code:{row.pk}", kind="consent_code", channel=channel, recipient=destination, body=text,
            subject=_("Your signing code"), due_at=now, language=language, client_id=client.pk,
        )
    return row


def sign_consent(clinic: Clinic, user: User, code_id: int, code: str, *, now: dt.datetime) -> SignedConsent:
    """Sign with the code: refused (and nothing signed) when it is wrong, expired, used, or tried too often."""
    with state.activate(clinic):
        client = client_of(user)
        row = ConsentCode.objects.filter(pk=code_id, client=client).first() if client else None
        if row is None:
            raise NotOffered("code_id", _("No signing code #%(id)s of yours here.") % {"id": code_id})
        _check_code(row, code, now)
        today = timezone.localdate(now)
        document = consent_document(row.client, row.procedure, row.language, today)
        if _digest(document) != row.document_sha256:
            raise BookingError("code", _("The consent document changed after the code was sent: ask for a new code."))
        try:
            with transaction.atomic():
                if ConsentCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now) != 1:
                    raise BookingError("code", _("This code has already been used: ask for a new one."))
                consent = screening.record_consent(
                    row.client, row.procedure, language=row.language, signed_on=today, by=user, today=today
                )
                return SignedConsent.objects.create(
                    consent=consent, code=row, signer=user, document_html=document, document_sha256=row.document_sha256,
                    language=row.language, knowledge_version=row.knowledge_version, channel=row.channel,
                    destination=row.destination, signed_at=now,
                )
        except IntegrityError as exc:  # the same code signing twice at once: the database lets one through
            raise BookingError("code", _("This code has already been used: ask for a new one.")) from exc


def _check_code(row: ConsentCode, code: str, now: dt.datetime) -> None:
    if row.used_at is not None:
        raise BookingError("code", _("This code has already been used: ask for a new one."))
    if now >= row.expires_at:
        raise BookingError("code", _("This code has expired: ask for a new one."))
    if row.attempts >= CODE_TRIES:
        raise BookingError("code", _("Too many wrong tries: ask for a new code."))
    if not hmac.compare_digest(row.code_hash, _code_hash(row.pk, code.strip())):
        ConsentCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)  # counted, so guessing stops
        raise BookingError("code", _("The code is wrong: check the message and try again."))


def _plan_input(client: Client, choice: Choice) -> scheduling.PlanInput:
    return scheduling.PlanInput(
        client=client, procedure=choice.procedure, start=choice.start, availability=ANY_TIME,
        preferred_time=choice.time_of_day, sessions=None if choice.whole_course else 1,
    )


def _own_client(user: User) -> Client:
    client = client_of(user)
    if client is None:
        raise BookingError("procedure", _("Answer the screening questionnaire first."))
    return client


def propose(clinic: Clinic, user: User, choice: Choice, *, today: dt.date) -> PlanResult:
    """The planner's proposal at the chosen time of day: every session, or the reason none fits."""
    offered_procedure(clinic, choice.procedure)
    if choice.start < today:
        raise BookingError("start", _("Choose a day from today on."))
    with state.activate(clinic):
        return scheduling.plan(clinic, _plan_input(_own_client(user), choice))


def book(
    clinic: Clinic, user: User, choice: Choice, seen: Sequence[dt.datetime], *, today: dt.date
) -> Course:
    """Book what was proposed and seen (the session starts): re-planned here, never taken from the caller; if the
    plan now differs, the times were taken meanwhile."""
    offered_procedure(clinic, choice.procedure)
    if choice.start < today:
        raise BookingError("start", _("Choose a day from today on."))
    with state.activate(clinic):
        client = _own_client(user)
        request = _plan_input(client, choice)
        check = scheduling.booking_check(request)
        if not check.allowed:
            raise scheduling.NotAllowed(check)
        result = scheduling.plan(clinic, request)
        if not result.ok:
            raise BookingError("start", result.failure.message if result.failure else "")
        if [s.start for s in result.sessions] != sorted(seen):
            raise SlotTaken(result)
        try:
            return scheduling.book_course(
                clinic, request, by=user, sessions=result.sessions, requested=check.decision == "caution"
            )
        except scheduling.BookingConflict as exc:
            raise SlotTaken(scheduling.plan(clinic, request)) from exc

