"""Media on S3-compatible object storage (django-storages): photos and documents in the bucket, served through the
access-checked view, and the backup round trip through it.

The S3 server is moto's standalone server (HTTP on 127.0.0.1, the S3 API), the S3-compatible server that installs
from the package registry here; django-storages and boto3 talk to it over the network exactly as to a provider.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import boto3
import pytest
from django.contrib.auth.models import User
from django.core.files.storage import storages
from django.core.management import call_command
from moto.server import ThreadedMotoServer

from cryoclinic.ops import documents
from cryoclinic.treatments.models import OutcomePhoto

from .photos import noise_jpeg, store_photo
from .processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)

BUCKET = "clinic-media"
CREDENTIALS = {"access_key": "test-access", "secret_key": "test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, private_root, backup_key) -> Iterator[dict[str, bytes]]:
    """Settings as S3_BUCKET gives them; `objects()` reads the bucket back over S3."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id=CREDENTIALS["access_key"],
                          aws_secret_access_key=CREDENTIALS["secret_key"], region_name=CREDENTIALS["region_name"])
    client.create_bucket(Bucket=BUCKET)
    options = {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "default_acl": "private", "file_overwrite": False,
               **CREDENTIALS}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "media"}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "private"}},
    }
    image = OutcomePhoto._meta.get_field("image")
    on_disk = image.storage
    image.storage = storages["private"]  # what the field resolves at start-up when S3_BUCKET is set
    yield client
    image.storage = on_disk
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def objects(client) -> dict[str, str]:
    return {item["Key"]: hashlib.sha256(client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()).hexdigest()
            for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_photos_go_to_the_bucket_and_the_access_checked_view_streams_them(demo, bucket, private_root, client):
    data = noise_jpeg(80, 60, 7)
    photo = store_photo("before", data)
    keys = list(objects(bucket))
    assert keys == [f"private/{photo.image.name}"] and photo.image.name.startswith("outcome-photos/")
    assert not private_root.exists() or not list(private_root.rglob("*"))
    client.force_login(
        User.objects.get(username="demo-doctor"), backend="cryoclinic.accounts.backends.RolePermissionBackend"
    )
    response = client.get(f"/en/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    stored = bucket.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert b"".join(response.streaming_content) == stored


def test_a_backup_restores_the_photos_into_the_bucket(demo, bucket, tmp_path):
    photos = [store_photo("before", noise_jpeg(120, 90, 8)), store_photo("after", noise_jpeg(120, 90, 9))]
    before = objects(bucket)
    path = tmp_path / "clinic.cryobak"
    call_command("backup", str(path))
    for key in before:
        bucket.delete_object(Bucket=BUCKET, Key=key)
    OutcomePhoto.objects.all().delete()
    assert objects(bucket) == {}
    call_command("restore", str(path), "--yes")
    assert objects(bucket) == before
    assert sorted(OutcomePhoto.objects.values_list("image", flat=True)) == sorted(p.image.name for p in photos)


def test_rendered_documents_live_in_the_bucket_and_are_pruned_there(demo, bucket):
    from cryoclinic.clients.models import Client

    day = dt.date(2027, 3, 10)
    documents.pdf(Client.objects.order_by("id").first(), "facial-cryomassage", "aftercare", "en", day)
    assert [key.rsplit("/", 1)[0] for key in objects(bucket)] == ["private/documents/2027-03-10"]
    assert documents.prune(day + dt.timedelta(days=3)) == 1
    assert objects(bucket) == {}
