"""Anatomical zones a practitioner marks as treated: the clinic's list of where, not a medical claim.

Facial cryomassage lists the face's zones; scalp darsonvalization the scalp; cryodestruction records
the lesion's site and size instead (see `LESION_PROCEDURES`).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FACE_ZONES: tuple[tuple[str, Promise], ...] = (
    ("forehead", _("forehead")),
    ("periorbital", _("periorbital area")),
    ("nose", _("nose")),
    ("cheeks", _("cheeks")),
    ("perioral_chin", _("perioral area and chin")),
    ("neck", _("neck")),
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
