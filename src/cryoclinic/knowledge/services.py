"""The knowledge base as the rest of the product sees it: the source's items plus the clinic's own."""

from __future__ import annotations

import hashlib

from cryoclinic import caching
from cryoclinic.clinics.state import current_clinic_id

from .loader import Sources, knowledge_base
from .models import ClinicKnowledgeItem
from .schema import (
    ORIGIN_CLINIC,
    Contraindication,
    ExpertNote,
    Item,
    Prerequisite,
    ProcedureData,
)


class UnknownProcedure(LookupError):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        known = ", ".join(sorted(knowledge_base().procedures))
        super().__init__(f"Unknown procedure {slug!r}. Known procedures: {known}.")


def procedure_slugs() -> list[str]:
    return sorted(knowledge_base().procedures)


def sources() -> Sources:
    return knowledge_base().sources


def _clinic_item(row: ClinicKnowledgeItem) -> Item:
    common = {
        "code": row.code,
        "text": {"en": row.text_en, "ru": row.text_ru},
        "source": f"clinic:{row.source}",
        "origin": ORIGIN_CLINIC,
    }
    if row.section == "contraindications":
        question = {"en": row.question_en, "ru": row.question_ru}
        return Contraindication.model_validate({**common, "kind": row.kind, "question": question})
    if row.section == "prerequisites":
        return Prerequisite.model_validate({**common, "required": row.required})
    if row.section == "expert_notes":
        return ExpertNote.model_validate({**common, "author": row.source})
    return Item.model_validate(common)


def _clinic_rows(slug: str) -> list[ClinicKnowledgeItem]:
    """The active clinic's own items (none outside a clinic: the public pages show the source's); cached until
    one of the clinic's items changes (`invalidate_clinic_items`)."""
    clinic_id = current_clinic_id()
    if clinic_id is None:
        return []
    return caching.cached(
        caching.KNOWLEDGE,
        f"clinic-items:{clinic_id}:{slug}",
        lambda: list(ClinicKnowledgeItem.objects.filter(procedure=slug, active=True).order_by("id")),
    )


def invalidate_clinic_items(**_kwargs: object) -> None:
    caching.invalidate(caching.KNOWLEDGE)


def get_procedure(slug: str) -> ProcedureData:
    """The procedure's knowledge with the clinic's active items appended to their sections."""
    shipped = knowledge_base().procedures.get(slug)
    if shipped is None:
        raise UnknownProcedure(slug)
    rows = _clinic_rows(slug)
    if not rows:
        return shipped
    sections: dict[str, list] = {}
    preparation: dict[str, list] = {
        "before_the_day": list(shipped.preparation.before_the_day),
        "prerequisites": list(shipped.preparation.prerequisites),
    }
    for row in rows:
        target = preparation if row.section in preparation else sections
        target.setdefault(row.section, list(getattr(shipped, row.section, [])))
        target[row.section].append(_clinic_item(row))
    return shipped.model_copy(
        update={**sections, "preparation": shipped.preparation.model_copy(update=preparation)}
    )


def list_procedures() -> list[ProcedureData]:
    return [get_procedure(slug) for slug in procedure_slugs()]


def knowledge_version(slug: str) -> str:
    """The version an intake or consent was given under: the file's, plus a digest of clinic items."""
    shipped = knowledge_base().procedures.get(slug)
    if shipped is None:
        raise UnknownProcedure(slug)
    rows = _clinic_rows(slug)
    if not rows:
        return shipped.version
    digest = hashlib.sha256(
        "|".join(f"{r.pk}:{r.updated_at.isoformat()}" for r in rows).encode()
    ).hexdigest()[:8]
    return f"{shipped.version}+clinic.{digest}"
