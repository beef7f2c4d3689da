"""The screening engine: a procedure's knowledge + a client's answers and history -> a decision with reasons.

Pure: no Django, no database. Every rule comes from the knowledge base (the kind of each contraindication,
the course's minimum months before a repeat, the prerequisites), so the reasons carry the knowledge's sources.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from cryoclinic.knowledge.schema import ProcedureData, Text

DecisionKind = Literal["eligible", "caution", "postpone", "contraindicated"]

# Most permissive first: a decision is the strictest of its reasons.
SEVERITY: dict[DecisionKind, int] = {"eligible": 0, "caution": 1, "postpone": 2, "contraindicated": 3}
KIND_TO_DECISION: dict[str, DecisionKind] = {
    "absolute": "contraindicated", "temporary": "postpone", "caution": "caution",
}
HISTORY_SOURCE = "clinic:client-history"


class UnknownAnswer(ValueError):
    """An answer names a question the procedure does not ask."""

    def __init__(self, code: str, known: Collection[str]) -> None:
        super().__init__(f"{code!r} is not a question of this procedure; known: {', '.join(sorted(known))}")
        self.code = code


@dataclass(frozen=True)
class Reason:
    code: str
    decision: DecisionKind
    text: Text
    source: str


@dataclass(frozen=True)
class Decision:
    decision: DecisionKind
    reasons: tuple[Reason, ...]
    missing_prerequisites: tuple[str, ...]
    next_eligible_date: dt.date | None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's last day (31 Aug + 6 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _contraindication_reasons(procedure: ProcedureData, answers: Mapping[str, bool]) -> list[Reason]:
    reasons = []
    for item in procedure.contraindications:
        answer = answers.get(item.code)
        if answer is None:
            reasons.append(Reason(
                f"unanswered:{item.code}", "postpone",
                Text(en=f"Not answered yet: {item.question.en}", ru=f"Нет ответа: {item.question.ru}"),
                item.source,
            ))
        elif answer:
            extra = [t for t in (item.note, item.referral) if t is not None]
            text = Text(
                en=" ".join([item.text.en, *(t.en for t in extra)]),
                ru=" ".join([item.text.ru, *(t.ru for t in extra)]),
            )
            reasons.append(Reason(item.code, KIND_TO_DECISION[item.kind], text, item.source))
    return reasons


def _repeat_course_reason(
    procedure: ProcedureData, today: dt.date, last_course_end: dt.date | None
) -> tuple[Reason, dt.date] | None:
    rule = procedure.course.repeat_course_min_months
    if rule is None or last_course_end is None:
        return None
    allowed_from = add_months(last_course_end, rule.value)
    if today >= allowed_from:
        return None
    return Reason(
        "repeat_course_too_soon", "postpone",
        Text(
            en=f"A repeat course starts no sooner than {rule.value} months after the last one "
               f"(ended {last_course_end:%d.%m.%Y}): from {allowed_from:%d.%m.%Y}.",
            ru=f"Повторный курс — не раньше чем через {rule.value} мес. после предыдущего "
               f"(окончен {last_course_end:%d.%m.%Y}): с {allowed_from:%d.%m.%Y}.",
        ),
        rule.source,
    ), allowed_from


def screen(
    procedure: ProcedureData,
    answers: Mapping[str, bool],
    *,
    today: dt.date,
    last_course_end: dt.date | None = None,
    prerequisites_done: Collection[str] = (),
    adverse_event_codes: Collection[str] = (),
) -> Decision:
    """Decide whether the client may have `procedure` on `today`, and why.

    An unanswered question postpones (nothing is cleared by default); a prerequisite the knowledge base
    requires always and that is not recorded postpones and is listed; an earlier adverse event asks for caution.
    """
    known = {c.code for c in procedure.contraindications}
    for code in answers:
        if code not in known:
            raise UnknownAnswer(code, known)

    reasons = _contraindication_reasons(procedure, answers)
    repeat = _repeat_course_reason(procedure, today, last_course_end)
    if repeat is not None:
        reasons.append(repeat[0])

    done = set(prerequisites_done)
    prerequisites = procedure.preparation.prerequisites
    missing = tuple(p.code for p in prerequisites if p.required == "always" and p.code not in done)
    for prerequisite in prerequisites:
        if prerequisite.code in missing:
            reasons.append(Reason(
                f"prerequisite:{prerequisite.code}", "postpone",
                Text(en=f"Not recorded yet: {prerequisite.text.en}", ru=f"Ещё не отмечено: {prerequisite.text.ru}"),
                prerequisite.source,
            ))
    for code in sorted(set(adverse_event_codes)):
        reasons.append(Reason(
            f"adverse_event:{code}", "caution",
            Text(en=f"Earlier adverse event on record: {code}.", ru=f"В истории — нежелательная реакция: {code}."),
            HISTORY_SOURCE,
        ))

    decision: DecisionKind = max((r.decision for r in reasons), key=SEVERITY.__getitem__, default="eligible")
    # A date exists only when the one thing in the way is the calendar; a temporary condition lasts until resolved.
    only_the_calendar = all(r.code == "repeat_course_too_soon" for r in reasons if r.decision == "postpone")
    next_date = repeat[1] if repeat is not None and decision == "postpone" and only_the_calendar else None
    return Decision(decision, tuple(reasons), missing, next_date)
