"""Anatomical zones a practitioner marks as treated: where, not a medical claim.

Facial cryomassage lists the face's zones of the freeze-dose data (the facial sites whose skin thickness
was measured, so each zone has a safe dwell); scalp darsonvalization the scalp; cryodestruction records
the lesion's site and size instead (see `LESION_PROCEDURES`).
"""

from __future__ import annotations

from typing import cast

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from cryoclinic.dosimetry.data import load as dose_data
from cryoclinic.languages import content_language


def _face_zone_name(code: str) -> str:
    return dose_data().zones[code].name[content_language()]


_lazy_face_zone_name = lazy(_face_zone_name, str)
FACE_ZONES: tuple[tuple[str, Promise], ...] = tuple(
    (code, cast(Promise, _lazy_face_zone_name(code))) for code in dose_data().zones
)
SCALP_ZONES: tuple[tuple[str, Promise], ...] = (("scalp", _("scalp")),)

ZONES_BY_PROCEDURE: dict[str, tuple[tuple[str, Promise], ...]] = {
    "facial-cryomassage": FACE_ZONES,
    "scalp-darsonvalization": SCALP_ZONES,
}
# Neoplasm removal: the session records the lesion's site and size, and wound-care follow-ups are planned.
LESION_PROCEDURES = frozenset({"cryodestruction"})


def zones_for(procedure_slug: str) -> tuple[tuple[str, Promise], ...]:
    return ZONES_BY_PROCEDURE.get(procedure_slug, ())


def zone_label(code: str) -> str:
    for zones in ZONES_BY_PROCEDURE.values():
        for known, label in zones:
            if known == code:
                return str(label)
    return code
