"""Outcomes: the knowledge base's expected results scored by the practitioner and the client, and private photos.

Scores use the clinic's 0–3 scale (0 not seen, 1 slight, 2 clear, 3 full). A course is scored as a whole;
a procedure without a course (cryodestruction) is scored per appointment. Photos are re-encoded from their
pixels with Pillow, so EXIF, GPS, XMP, ICC and text chunks are gone, and stored outside MEDIA_ROOT.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cryoclinic.accounts import audit
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Appointment, Course

from .models import SCORE_MAX, SCORE_MIN, SCORERS, OutcomePhoto, OutcomeScore

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
SCALE = {0: "not seen", 1: "slight", 2: "clear", 3: "full"}


class OutcomeError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


Owner = Course | Appointment


def owner_of(appointment: Appointment) -> Owner:
    """What an appointment's outcomes belong to: its course, or the appointment itself."""
    return appointment.course if appointment.course is not None else appointment


def _owner_fields(owner: Owner) -> dict[str, object]:
    key = "course" if isinstance(owner, Course) else "appointment"
    return {key: owner, "client_id": owner.client_id, "procedure": owner.procedure}


@transaction.atomic
def record_scores(owner: Owner, scores: Mapping[str, int], *, scorer: str, by: User | None) -> list[OutcomeScore]:
    """Score expected results (KB `results` codes); each score is a new record, the latest counts."""
    if scorer not in dict(SCORERS):
        raise OutcomeError("scorer", "The scorer is the practitioner or the client.")
    known = {r.code for r in knowledge.get_procedure(owner.procedure).results}
    rows = []
    for code, score in scores.items():
        if code not in known:
            raise OutcomeError(code, f"{code!r} is not an expected result of this procedure.")
        if not SCORE_MIN <= int(score) <= SCORE_MAX:
            raise OutcomeError(code, f"A score is {SCORE_MIN}–{SCORE_MAX}.")
        rows.append(OutcomeScore.objects.create(
            result_code=code, scorer=scorer, score=int(score), scored_by=by, **_owner_fields(owner)  # type: ignore[arg-type]
        ))
    audit.record(by, "create", (f"treatments.outcomes.{owner._meta.model_name}", str(owner.pk)),
                 detail=f"{len(rows)} scores by the {scorer}")
    return rows


def latest_scores(owner: Owner) -> dict[str, dict[str, int]]:
    """{scorer: {result code: score}} with the latest score of each."""
    found: dict[str, dict[str, int]] = {"practitioner": {}, "client": {}}
    key = "course" if isinstance(owner, Course) else "appointment"
    for row in OutcomeScore.objects.filter(**{key: owner}).order_by("scored_at", "id"):
        found[row.scorer][row.result_code] = row.score
    return found


def photos_of(owner: Owner) -> list[OutcomePhoto]:
    key = "course" if isinstance(owner, Course) else "appointment"
    return list(OutcomePhoto.objects.filter(**{key: owner}))


def _clean_image(upload: UploadedFile) -> tuple[bytes, str, str, int, int]:
    if upload.size is None or upload.size > PHOTO_MAX_BYTES:
        raise OutcomeError("image", _("The photo is larger than %(mb)s MB.") % {"mb": PHOTO_MAX_BYTES // 2**20})
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        kind = {"MPO": "JPEG"}.get(image.format or "", image.format or "")  # phones' multi-picture JPEG
        if kind not in PHOTO_FORMATS:
            raise OutcomeError("image", _("Upload a JPEG, PNG or WebP photo."))
        if image.width * image.height > PHOTO_MAX_PIXELS:
            raise OutcomeError("image", _("The photo has too many pixels."))
        image = ImageOps.exif_transpose(image)
        mode = "RGBA" if "A" in image.getbands() and kind != "JPEG" else ("L" if image.mode == "L" else "RGB")
        image = image.convert(mode)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, OutcomeError):
            raise
        raise OutcomeError("image", _("The file is not a readable image (JPEG, PNG or WebP).")) from exc
    # A new image from the pixels alone carries no metadata of the original.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    content_type, extension = PHOTO_FORMATS[kind]
    return out.getvalue(), content_type, extension, clean.width, clean.height


@transaction.atomic
def store_photo(owner: Owner, kind: str, upload: UploadedFile, *, by: User | None) -> OutcomePhoto:
    if kind not in OutcomePhoto.Kind.values:
        raise OutcomeError("kind", "A photo is taken before or after.")
    data, content_type, extension, width, height = _clean_image(upload)
    photo = OutcomePhoto(
        kind=kind, content_type=content_type, width=width, height=height, uploaded_by=by,
        **_owner_fields(owner),  # type: ignore[arg-type]
    )
    photo.image.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    photo.save()
    audit.record(by, "create", photo, detail=f"{kind} photo")
    return photo
