"""Outcome scores on the knowledge base's results, and before/after photos without metadata."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cryoclinic.treatments import outcomes
from cryoclinic.treatments.models import OutcomeScore

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 120, 90))
    exif = Image.Exif()
    exif[0x010F] = "SnoopCam"  # Make
    exif[0x0132] = "2026:11:20 10:00:00"  # DateTime
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"client Maria, room 1")
    return out.getvalue()


def test_scores_are_recorded_by_each_scorer_and_the_latest_counts(appointment, practitioner_user):
    owner = outcomes.owner_of(appointment)
    outcomes.record_scores(owner, {"smooth_even_skin": 1}, scorer="practitioner", by=practitioner_user)
    outcomes.record_scores(owner, {"smooth_even_skin": 3, "pores_invisible": 2}, scorer="practitioner",
                           by=practitioner_user)
    outcomes.record_scores(owner, {"smooth_even_skin": 2}, scorer="client", by=None)
    latest = outcomes.latest_scores(owner)
    assert latest == {"practitioner": {"smooth_even_skin": 3, "pores_invisible": 2}, "client": {"smooth_even_skin": 2}}
    assert OutcomeScore.objects.count() == 4


def test_bad_scores_are_refused_naming_the_result(appointment):
    owner = outcomes.owner_of(appointment)
    with pytest.raises(outcomes.OutcomeError) as refused:
        outcomes.record_scores(owner, {"growth_removed": 2}, scorer="client", by=None)
    assert refused.value.field == "growth_removed"
    with pytest.raises(outcomes.OutcomeError) as refused:
        outcomes.record_scores(owner, {"smooth_even_skin": 4}, scorer="client", by=None)
    assert refused.value.field == "smooth_even_skin"
    assert not OutcomeScore.objects.exists()


def test_a_photo_is_stored_privately_without_metadata(appointment, practitioner_user):
    upload = SimpleUploadedFile("face.jpg", jpeg_with_exif(), content_type="image/jpeg")
    photo = outcomes.store_photo(outcomes.owner_of(appointment), "before", upload, by=practitioner_user)
    path = photo.image.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (40, 30)
        assert not stored.getexif()
        assert "exif" not in stored.info and "comment" not in stored.info
    with open(path, "rb") as raw:
        data = raw.read()
    assert b"SnoopCam" not in data and b"Maria" not in data


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.7 not an image", "scan.jpg"), (b"GIF89a" + b"\x00" * 20, "anim.gif"), (b"", "empty.png")],
)
def test_a_bad_upload_is_refused_with_a_clear_error(appointment, content, name):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(outcomes.OutcomeError) as refused:
        outcomes.store_photo(outcomes.owner_of(appointment), "before", upload, by=None)
    assert refused.value.field == "image"


def test_a_gif_is_refused_as_the_wrong_type(appointment):
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    with pytest.raises(outcomes.OutcomeError, match="JPEG, PNG or WebP"):
        outcomes.store_photo(outcomes.owner_of(appointment), "after", SimpleUploadedFile("a.gif", out.getvalue()),
                             by=None)


def test_an_oversized_upload_is_refused(appointment, monkeypatch):
    monkeypatch.setattr(outcomes, "PHOTO_MAX_BYTES", 10)
    with pytest.raises(outcomes.OutcomeError, match="larger than"):
        outcomes.store_photo(outcomes.owner_of(appointment), "after",
                             SimpleUploadedFile("a.jpg", jpeg_with_exif()), by=None)


def test_a_png_keeps_its_transparency_but_loses_its_text_chunks(appointment):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Client Maria, Moscow")
    out = io.BytesIO()
    Image.new("RGBA", (6, 6), (1, 2, 3, 128)).save(out, format="PNG", pnginfo=info)
    photo = outcomes.store_photo(outcomes.owner_of(appointment), "after", SimpleUploadedFile("a.png", out.getvalue()),
                                 by=None)
    with Image.open(photo.image.path) as stored:
        assert stored.mode == "RGBA" and "Author" not in stored.info
    assert photo.content_type == "image/png"
