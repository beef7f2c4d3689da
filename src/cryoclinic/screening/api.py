"""`POST /api/screening`: the self-check, public and stateless (nothing is stored)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from cryoclinic.api.errors import errors, invalid
from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import Text

from .engine import UnknownAnswer, screen

router = Router(tags=["screening"])


class ScreeningIn(Schema):
    procedure: str
    answers: dict[str, bool]
    last_course_end: dt.date | None = None
    today: dt.date | None = None
    prerequisites_done: list[str] = []


class ReasonOut(Schema):
    code: str
    text: Text
    source: str


class ScreeningOut(Schema):
    decision: str
    reasons: list[ReasonOut]
    prerequisites: list[str]
    next_eligible_date: dt.date | None


@router.post("", response={200: ScreeningOut} | errors(422), auth=None, summary="May this client have this procedure?")
def post_screening(request: HttpRequest, payload: ScreeningIn) -> ScreeningOut | HttpResponse:
    try:
        procedure = knowledge.get_procedure(payload.procedure)
    except knowledge.UnknownProcedure as exc:
        return invalid(request, "procedure", str(exc))
    known_prerequisites = {p.code for p in procedure.preparation.prerequisites}
    for code in payload.prerequisites_done:
        if code not in known_prerequisites:
            return invalid(request, f"prerequisites_done.{code}",
                            f"{code!r} is not a prerequisite of {procedure.slug}; known: "
                            f"{', '.join(sorted(known_prerequisites)) or 'none'}")
    try:
        decision = screen(
            procedure, payload.answers, today=payload.today or timezone.localdate(),
            last_course_end=payload.last_course_end, prerequisites_done=payload.prerequisites_done,
        )
    except UnknownAnswer as exc:
        return invalid(request, f"answers.{exc.code}", str(exc))
    return ScreeningOut(
        decision=decision.decision,
        reasons=[ReasonOut(code=r.code, text=r.text, source=r.source) for r in decision.reasons],
        prerequisites=list(decision.missing_prerequisites),
        next_eligible_date=decision.next_eligible_date,
    )
