"""Items a clinic adds to the knowledge base. They are shown beside the source's, marked as the clinic's."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import ClinicOwned

from .loader import knowledge_base
from .schema import is_valid_code

SECTION_CHOICES: list[tuple[str, Any]] = [
    ("indications", _("Indication")),
    ("contraindications", _("Contraindication")),
    ("before_the_day", _("Preparation before the day")),
    ("prerequisites", _("Prerequisite")),
    ("protocol_stages", _("Protocol stage")),
    ("timing_rules", _("Timing rule")),
    ("effects", _("Expected effect")),
    ("results", _("Result")),
    ("side_effects", _("Side effect")),
    ("aftercare", _("Aftercare")),
    ("advantages", _("Advantage")),
    ("disadvantages", _("Disadvantage")),
    ("expert_notes", _("Expert note")),
]
KIND_CHOICES: list[tuple[str, Any]] = [
    ("absolute", _("absolute")), ("temporary", _("temporary")), ("caution", _("caution")),
]
REQUIRED_CHOICES: list[tuple[str, Any]] = [("always", _("always")), ("if_needed", _("where needed"))]


def procedure_choices() -> list[tuple[str, str]]:
    return [(slug, p.name.en) for slug, p in sorted(knowledge_base().procedures.items())]


class ClinicKnowledgeItem(ClinicOwned):
    """A clinic's own rule or note; its `source` says who in the clinic stands behind it."""

    procedure = models.CharField(max_length=60, choices=procedure_choices)
    section = models.CharField(max_length=30, choices=SECTION_CHOICES)
    code = models.CharField(max_length=60, help_text=_("lower_case_with_underscores, unique in the section"))
    text_en = models.TextField(_("text (English)"))
    text_ru = models.TextField(_("text (Russian)"))
    kind = models.CharField(max_length=12, choices=KIND_CHOICES, blank=True,
                            help_text=_("required for contraindications"))
    required = models.CharField(max_length=12, choices=REQUIRED_CHOICES, blank=True,
                                help_text=_("required for prerequisites"))
    question_en = models.CharField(max_length=300, blank=True, help_text=_("intake question, contraindications only"))
    question_ru = models.CharField(max_length=300, blank=True)
    source = models.CharField(
        max_length=300,
        help_text=_("who in the clinic stands behind this item, or the publication it comes from"),
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "procedure", "section", "code"], name="clinic_item_unique_code"),
        ]
        ordering = ["procedure", "section", "code"]

    def __str__(self) -> str:
        return f"{self.procedure} / {self.section} / {self.code} (clinic)"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not is_valid_code(self.code or ""):
            errors["code"] = _("Use lower-case letters, digits and underscores, starting with a letter.")
        procedure = knowledge_base().procedures.get(self.procedure)
        if procedure is not None and self.section:
            shipped = _shipped_codes(procedure, self.section)
            if self.code in shipped:
                errors["code"] = _("The source already has an item with this code in this section.")
        if self.section == "contraindications":
            if not self.kind:
                errors["kind"] = _("A contraindication needs a kind: absolute, temporary or caution.")
            if not (self.question_en and self.question_ru):
                errors["question_en"] = _("A contraindication needs the intake question in both languages.")
        elif self.kind:
            errors["kind"] = _("Only contraindications have a kind.")
        if self.section == "prerequisites" and not self.required:
            errors["required"] = _("A prerequisite must say whether it is always required or where needed.")
        if not (self.source or "").strip():
            errors["source"] = _("Say who stands behind this item or which publication it comes from.")
        if errors:
            raise ValidationError(errors)


def _shipped_codes(procedure, section: str) -> set[str]:
    if section in ("before_the_day", "prerequisites"):
        return {item.code for item in getattr(procedure.preparation, section)}
    return {item.code for item in getattr(procedure, section)}
