"""Treatment photos for the backup and storage tests, stored through the real photo service."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling.models import Appointment, Practitioner, Room
from cryoclinic.treatments import outcomes
from cryoclinic.treatments.models import OutcomePhoto


def noise_jpeg(width: int, height: int, seed: int) -> bytes:
    """A photo that does not compress: a backup with a large one spans several encrypted chunks."""
    pixels = hashlib.shake_256(str(seed).encode()).digest(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(out, format="JPEG", quality=95)
    return out.getvalue()


def store_photo(kind: str, data: bytes) -> OutcomePhoto:
    taken = OutcomePhoto.objects.count()  # each photo its own hour: one practitioner cannot be in two places
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=1, hours=taken)
    appointment = Appointment.objects.create(
        clinic=current_clinic(), client=Client.objects.order_by("id").first(), procedure="facial-cryomassage",
        practitioner=Practitioner.objects.get(user__username="demo-doctor"), room=Room.objects.first(),
        starts_at=start, ends_at=start + dt.timedelta(minutes=20),
    )
    upload = SimpleUploadedFile(f"{kind}.jpg", data, content_type="image/jpeg")
    return outcomes.store_photo(outcomes.owner_of(appointment), kind, upload, by=None)
