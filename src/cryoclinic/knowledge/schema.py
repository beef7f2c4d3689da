"""The shape of a procedure's knowledge file, validated on load (pydantic, extra keys refused)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
SourceRef = Annotated[str, StringConstraints(pattern=r"^(seed#[a-z0-9-]+|pub:[a-z0-9_-]+|clinic:.+)$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

CONTRAINDICATION_KINDS = ("absolute", "temporary", "caution")
Origin = Literal["source", "clinic"]
ORIGIN_SOURCE: Origin = "source"
ORIGIN_CLINIC: Origin = "clinic"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    en: NonEmpty
    ru: NonEmpty

    def get(self, language: str) -> str:
        return self.ru if language.startswith("ru") else self.en


class SourcedText(Text):
    source: SourceRef


class Item(Strict):
    code: Code
    text: Text
    source: SourceRef
    origin: Origin = ORIGIN_SOURCE


class Contraindication(Item):
    kind: Literal["absolute", "temporary", "caution"]
    question: Text
    note: Text | None = None
    referral: Text | None = None


class Prerequisite(Item):
    required: Literal["always", "if_needed"]


class Technique(Strict):
    code: Code
    name: Text
    text: Text
    anesthesia: bool
    source: SourceRef
    origin: Origin = ORIGIN_SOURCE


class ExpertNote(Item):
    author: NonEmpty


class Range(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)
    source: SourceRef

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


class Value(Strict):
    value: int = Field(gt=0)
    approximate: bool = False
    source: SourceRef


class Course(Strict):
    session_duration_min: Range | None
    sessions_per_course: Value | None
    days_between_sessions: Range | None
    repeat_course_min_months: Value | None
    result_lasts_months: Value | None
    recovery_days: Value | None
    note: SourcedText | None = None


class Preparation(Strict):
    before_the_day: list[Item]
    prerequisites: list[Prerequisite]


class ConsentRule(Strict):
    """Whether signed informed consent is needed before the procedure, and the law or rule that says so."""

    required: bool
    text: Text
    sources: Annotated[list[SourceRef], Field(min_length=1)]


class ProcedureData(Strict):
    """One procedure's knowledge: every item with its source."""

    schema_version: Literal[1] = Field(alias="schema")
    version: Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{1,2}\.\d{1,2}(\.\d+)?$")]
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
    name: Text
    summary: SourcedText
    indications: list[Item]
    contraindications: list[Contraindication]
    contraindications_note: SourcedText | None = None
    preparation: Preparation
    techniques: list[Technique]
    protocol_stages: list[Item]
    timing_rules: list[Item]
    course: Course
    effects: list[Item]
    results: list[Item]
    side_effects: list[Item]
    side_effects_note: SourcedText | None = None
    aftercare: list[Item]
    advantages: list[Item]
    disadvantages: list[Item]
    expert_notes: list[ExpertNote]
    consent: ConsentRule

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator(
        "indications", "contraindications", "techniques", "protocol_stages", "timing_rules",
        "effects", "results", "side_effects", "aftercare", "advantages", "disadvantages",
        "expert_notes",
    )
    @classmethod
    def _codes_unique(cls, items: list[Item]) -> list[Item]:
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                raise ValueError(f"code {item.code!r} appears twice")
            seen.add(item.code)
        return items

    def contraindication(self, code: str) -> Contraindication | None:
        return next((c for c in self.contraindications if c.code == code), None)


LIST_SECTIONS = (
    "indications", "contraindications", "techniques", "protocol_stages", "timing_rules",
    "effects", "results", "side_effects", "aftercare", "advantages", "disadvantages",
    "expert_notes",
)


def is_valid_code(value: str) -> bool:
    return re.fullmatch(r"^[a-z][a-z0-9_]*$", value) is not None
