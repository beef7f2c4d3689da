"""Claims: a clinic's admin claims a salon, a platform admin approves; one pending claim per salon; a salon run by
one clinic is not another's to claim; every step audit-logged."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.db import IntegrityError, transaction

from cryoclinic.accounts.models import AuditEvent, PlatformAuditEvent
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.directory import claims
from cryoclinic.directory.models import Salon, SalonClaim
from cryoclinic.directory.names import SalonNames
from cryoclinic.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

CORRECTED = SalonNames("Салон красоты «Таис»", "Tais beauty salon", "ул. Чкалова, 32А", "32A Chkalova St")
FORM = {"name_ru": CORRECTED.name_ru, "name_en": CORRECTED.name_en, "address_ru": CORRECTED.address_ru,
        "address_en": CORRECTED.address_en}


@pytest.fixture
def other_clinic(db) -> Clinic:
    with state.platform():
        return Clinic.objects.create(slug="clinic-b", name="Clinic B", city="Ярославль", address="ул. Б, 2",
                                     phone="+74850000000", status=Clinic.Status.ACTIVE, email="b@example.org")


def _admin_of(make_user, clinic: Clinic, username: str):
    return make_user("admin", username=username, clinic=clinic)


def test_a_clinic_admin_claims_a_salon_from_the_staff_page_with_corrected_names(client, users, tais, clinic):
    client.force_login(users["admin"])
    page = client.get(f"/en/staff/salons/{tais.pk}/claim/").content.decode()
    assert 'value="ул. Чкалова, 32А"' in page  # the back-transliterated names, to correct
    response = client.post(f"/en/staff/salons/{tais.pk}/claim/", FORM)
    assert response.status_code == 302 and response["Location"].endswith("/en/staff/prices/")
    claim = SalonClaim.objects.get()
    assert (claim.clinic, claim.salon, claim.status, claim.name_en) == (clinic, tais, "pending", "Tais beauty salon")
    assert AuditEvent.objects.filter(action="claim_salon", subject_id=str(claim.pk)).exists()
    tais.refresh_from_db()
    assert tais.clinic_id is None  # nothing changes before a platform admin decides


@pytest.mark.parametrize("role", ["practitioner", "reception", "client", "platform_admin"])
def test_only_a_clinic_admin_may_claim(users, tais, role):
    with pytest.raises(claims.ClaimError, match="Only a clinic's admin"):
        claims.claim_salon(tais, by=users[role], names=CORRECTED)
    assert not SalonClaim.objects.exists()


def test_a_missing_name_is_refused_naming_the_field_and_nothing_is_stored(client, users, tais):
    client.force_login(users["admin"])
    response = client.post(f"/en/staff/salons/{tais.pk}/claim/", {**FORM, "name_en": "  "})
    assert response.status_code == 422
    assert 'id="id_name_en"' in response.content.decode() and "This field is required" in response.content.decode()
    assert not SalonClaim.objects.exists()
    with pytest.raises(claims.ClaimError) as refused:
        claims.claim_salon(tais, by=users["admin"], names=SalonNames("", "x", "y", "z"))
    assert refused.value.field == "name_ru"


def test_one_pending_claim_per_salon(users, tais, other_clinic, make_user):
    claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    rival = _admin_of(make_user, other_clinic, "b-admin")
    with state.activate(other_clinic), pytest.raises(claims.ClaimError, match="already waiting"):
        claims.claim_salon(tais, by=rival, names=CORRECTED)
    assert SalonClaim.objects.count() == 1


def test_the_database_refuses_a_second_pending_claim_when_two_race(users, tais, clinic, other_clinic):
    SalonClaim.objects.create(salon=tais, clinic=clinic, **FORM)
    with pytest.raises(IntegrityError), transaction.atomic():
        SalonClaim.objects.create(salon=tais, clinic=other_clinic, **FORM)


def test_approval_makes_the_salon_the_clinics_under_its_names_and_says_so(users, tais, clinic, settings):
    with state.platform():
        Clinic.objects.filter(pk=clinic.pk).update(email="a@example.org")
    clinic.refresh_from_db()
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    with state.no_clinic():
        decided = claims.approve_claim(claim, by=users["platform_admin"])
    tais.refresh_from_db()
    assert (tais.clinic_id, tais.names_origin) == (clinic.pk, Salon.NamesOrigin.CLINIC)
    assert (tais.name_en, tais.address_en, tais.name_ru) == ("Tais beauty salon", "32A Chkalova St", CORRECTED.name_ru)
    assert tais.name == 'Beauty salon "Tais"'  # the listed name stays the importer's key
    assert (decided.status, decided.decided_by) == ("approved", users["platform_admin"])
    assert "is approved" in claims.decision_message(decided)
    assert PlatformAuditEvent.objects.filter(action="claim_approved", subject_id=str(claim.pk)).exists()
    assert AuditEvent.objects.filter(action="claim_approved", subject_id=str(claim.pk)).exists()
    email = OutboxMessage.objects.get(kind="salon_claim")
    assert email.recipient == "a@example.org" and "одобрена" in email.body


@pytest.mark.parametrize("role", ["admin", "practitioner", "reception", "client"])
def test_only_a_platform_admin_decides(users, tais, role):
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    for decide in (claims.approve_claim, claims.reject_claim):
        with pytest.raises(claims.ClaimError, match="Only a platform admin"):
            decide(claim, by=users[role])
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_a_salon_run_by_another_clinic_cannot_be_claimed(users, tais, other_clinic, make_user):
    Salon.objects.filter(pk=tais.pk).update(clinic=other_clinic)
    tais.refresh_from_db()
    with pytest.raises(claims.ClaimError, match="Another clinic"):
        claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    assert not SalonClaim.objects.exists()


def test_approval_refuses_a_salon_another_clinic_took_meanwhile(users, tais, other_clinic):
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    Salon.objects.filter(pk=tais.pk).update(clinic=other_clinic)
    with pytest.raises(claims.ClaimError, match="Another clinic runs this salon"):
        claims.approve_claim(claim, by=users["platform_admin"])
    claim.refresh_from_db()
    tais.refresh_from_db()
    assert (claim.status, tais.clinic_id, tais.name_en) == ("pending", other_clinic.pk, 'Beauty salon "Tais"')


def test_a_clinic_awaiting_approval_cannot_claim(users, tais, clinic):
    with state.platform():
        Clinic.objects.filter(pk=clinic.pk).update(status=Clinic.Status.PENDING)
    clinic.refresh_from_db()
    with pytest.raises(claims.ClaimError, match="not live"):
        claims.claim_salon(tais, by=users["admin"], names=CORRECTED)


def test_a_rejected_claim_changes_nothing_and_frees_the_salon_for_another(users, tais, other_clinic, make_user):
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    rejected = claims.reject_claim(claim, by=users["platform_admin"], reason="not your salon")
    assert (rejected.status, rejected.decision_note) == ("rejected", "not your salon")
    tais.refresh_from_db()
    assert tais.clinic_id is None and tais.names_origin == Salon.NamesOrigin.SOURCE_TRANSLATION
    with pytest.raises(claims.ClaimError, match="already decided"):
        claims.approve_claim(claim, by=users["platform_admin"])
    with state.activate(other_clinic):
        assert claims.claim_salon(tais, by=_admin_of(make_user, other_clinic, "b-admin"), names=CORRECTED).pk


def test_the_platform_admin_approves_on_the_platform_page(client, users, tais, clinic):
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    client.force_login(users["platform_admin"])
    page = client.get("/en/platform/directory/").content.decode()
    assert f'data-claim="{claim.pk}"' in page and "Tais beauty salon" in page
    response = client.post(f"/en/platform/directory/claims/{claim.pk}/", {"decision": "approve"}, follow=True)
    assert "is approved" in response.content.decode()
    assert Salon.objects.get(pk=tais.pk).clinic_id == clinic.pk


def test_a_bad_decision_is_refused_naming_it(client, users, tais):
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    client.force_login(users["platform_admin"])
    response = client.post(f"/en/platform/directory/claims/{claim.pk}/", {"decision": "maybe"})
    assert response.status_code == 422 and "“approve” or “reject”" in response.content.decode()
    assert SalonClaim.objects.get().status == "pending"


def test_the_platform_admin_approves_in_the_django_admin(client, users, tais, clinic):
    claim = claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    client.force_login(users["platform_admin"])
    assert "32A Chkalova St" in client.get("/admin/directory/salonclaim/?status=pending").content.decode()
    response = client.post(
        "/admin/directory/salonclaim/", {"action": "approve", "_selected_action": [claim.pk]}, follow=True
    )
    [said] = list(response.context["messages"])
    assert said.level == messages.SUCCESS and "32А" in said.message
    assert Salon.objects.get(pk=tais.pk).clinic_id == clinic.pk


def test_the_salon_page_offers_the_claim_to_clinic_admins_only(client, users, tais):
    client.force_login(users["admin"])
    assert 'data-testid="claim-link"' in client.get(f"/en/directory/salons/{tais.pk}/").content.decode()
    claims.claim_salon(tais, by=users["admin"], names=CORRECTED)
    page = client.get(f"/en/directory/salons/{tais.pk}/").content.decode()
    assert 'data-testid="claim-link"' not in page and "waits for the platform" in page
    client.force_login(users["reception"])
    assert 'data-testid="claim"' not in client.get(f"/en/directory/salons/{tais.pk}/").content.decode()
