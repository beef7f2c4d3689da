"""The export's namespaces: code systems, identifier systems, extensions and the stable urn:uuid of a row.

Everything hangs off `settings.FHIR_BASE_URL`, a URL the clinic controls. Our own codes (procedure slugs,
contraindication, side-effect, technique and zone codes of the knowledge base) stay in our own code systems:
no SNOMED CT or LOINC mapping is claimed where the knowledge base gives none.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.reference import Reference


def base_url() -> str:
    return str(settings.FHIR_BASE_URL)


def system(name: str) -> str:
    """Our code system `name`, e.g. procedure, side-effect, technique, zone."""
    return f"{base_url()}/CodeSystem/{name}"


def row_uuid(row: models.Model) -> str:
    """A UUID derived from the installation's base URL, the model and the primary key: the same on every export."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, base_url())
    return str(uuid.uuid5(namespace, f"{row._meta.label_lower}/{row.pk}"))


def full_url(row: models.Model) -> str:
    return f"urn:uuid:{row_uuid(row)}"


def reference(row: models.Model, display: str | None = None) -> Reference:
    return Reference(reference=full_url(row), display=display)


def identifier(row: models.Model) -> list[Identifier]:
    """The row's own id in the clinic's system, so a receiver can match a later export."""
    return [Identifier(system=f"{base_url()}/identifier/{row._meta.label_lower}", value=str(row.pk))]


def concept(system_name: str, code: str, display: str, *, text: str | None = None) -> CodeableConcept:
    coding = Coding(system=system(system_name), code=code, display=display)
    return CodeableConcept(coding=[coding], text=text or display)


def hl7(code_system: str, code: str, display: str) -> CodeableConcept:
    """A code from an HL7 terminology code system (terminology.hl7.org)."""
    return CodeableConcept(
        coding=[Coding(system=f"http://terminology.hl7.org/CodeSystem/{code_system}", code=code, display=display)]
    )


def knowledge_version(version: str) -> Extension:
    """The knowledge-base version a record was made under (R4 has no element for it)."""
    return Extension(url=f"{base_url()}/StructureDefinition/knowledge-version", valueString=version)


def extension(name: str, **value: Any) -> Extension:
    return Extension(url=f"{base_url()}/StructureDefinition/{name}", **value)
