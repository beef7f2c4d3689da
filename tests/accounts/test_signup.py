"""A client makes their own account: with an email (proved by its confirmation link) or a mobile phone (proved by
a code sent by SMS), signs in with either, and resets a forgotten password."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache

from cryoclinic.accounts.models import PhoneNumber

pytestmark = [pytest.mark.django_db, pytest.mark.no_clinic]
PASSWORD = "frost-and-sun-2026"


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def _sign_up(client, follow=False, **fields):
    return client.post("/en/accounts/signup/", {"password1": PASSWORD, "password2": PASSWORD, **fields}, follow=follow)


def test_signup_page_is_at_accounts_signup_in_both_languages(client):
    assert "Sign Up" in client.get("/en/accounts/signup/").content.decode()
    assert "Регистрация" in client.get("/ru/accounts/signup/").content.decode()


def test_signup_with_email_sends_a_confirmation_and_signs_in_only_after_it(client):
    response = _sign_up(client, email="anna@example.org")
    assert response.status_code == 302 and response["Location"].endswith("/en/accounts/confirm-email/")
    assert not client.session.get("_auth_user_id")
    refused = client.post("/en/accounts/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert refused.status_code == 200 and not client.session.get("_auth_user_id")

    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    confirm_url = _link(message)
    assert client.get(confirm_url).status_code == 200
    client.post(confirm_url)
    assert EmailAddress.objects.get(email="anna@example.org").verified

    signed_in = client.post("/en/accounts/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"].endswith("/en/accounts/after-login/")
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="anna@example.org").pk


def test_signup_without_email_or_phone_is_refused_and_creates_nothing(client):
    response = _sign_up(client)
    assert response.status_code == 200
    assert "Give an email or a mobile phone number" in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_an_impossible_phone_names_the_field_and_creates_nothing(client):
    response = _sign_up(client, phone="12")
    assert response.status_code == 200
    assert "not a valid phone number" in response.context["form"].errors["phone"][0]
    assert not User.objects.exists()


def test_signup_with_a_taken_email_is_refused(client):
    _sign_up(client, email="anna@example.org")
    response = _sign_up(client, email="anna@example.org")
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert User.objects.count() == 1


def test_signup_with_a_phone_is_verified_by_an_sms_code(client, sms):
    response = _sign_up(client, phone="8 912 345-67-89")
    assert response.status_code == 302 and response["Location"].endswith("/en/accounts/phone/verify/")
    code = sms.last_code("+79123456789")
    assert PhoneNumber.objects.get().verified_at is None

    signed_in = client.post("/en/accounts/phone/verify/", {"code": code})
    assert signed_in.status_code == 302
    assert PhoneNumber.objects.get(phone="+79123456789").verified_at is not None
    assert client.session.get("_auth_user_id")


def test_a_wrong_phone_code_is_refused_and_changes_nothing(client, sms):
    _sign_up(client, phone="+79123456789")
    code = sms.last_code("+79123456789")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/en/accounts/phone/verify/", {"code": wrong})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert PhoneNumber.objects.get().verified_at is None
    assert not client.session.get("_auth_user_id")


def test_an_expired_phone_code_is_refused(client, sms, settings):
    _sign_up(client, phone="+79123456789")
    code = sms.last_code("+79123456789")
    settings.ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 0  # the code's life has run out
    response = client.post("/en/accounts/phone/verify/", {"code": code}, follow=True)
    assert PhoneNumber.objects.get().verified_at is None
    assert not client.session.get("_auth_user_id")
    assert "That code has expired or was already used" in response.content.decode()


def test_three_wrong_codes_end_the_attempt_and_the_right_code_no_longer_works(client, sms):
    _sign_up(client, phone="+79123456789")
    code = sms.last_code("+79123456789")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        client.post("/en/accounts/phone/verify/", {"code": wrong})
    client.post("/en/accounts/phone/verify/", {"code": code})
    assert PhoneNumber.objects.get().verified_at is None
    assert not client.session.get("_auth_user_id")


def _phone_account(client, sms) -> User:
    _sign_up(client, phone="+79123456789")
    client.post("/en/accounts/phone/verify/", {"code": sms.last_code("+79123456789")})
    client.logout()
    return User.objects.get(phone_number__phone="+79123456789")


def test_sign_in_by_sms_code_and_the_code_cannot_be_used_twice(client, sms):
    user = _phone_account(client, sms)
    asked = client.post("/en/accounts/login/code/", {"phone": "8 912 345 67 89"})
    assert asked.status_code == 302 and asked["Location"].endswith("/en/accounts/login/code/confirm/")
    code = sms.last_code("+79123456789")
    assert client.post("/en/accounts/login/code/confirm/", {"code": code}).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk

    client.logout()
    reused = client.post("/en/accounts/login/code/confirm/", {"code": code}, follow=True)
    assert "That code has expired or was already used" in reused.content.decode()
    assert not client.session.get("_auth_user_id")


def test_sign_in_with_a_proved_phone_and_password(client, sms):
    user = _phone_account(client, sms)
    response = client.post("/en/accounts/login/", {"username": "+7 912 345-67-89", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_password_reset_by_email_sets_a_new_password(client):
    _sign_up(client, email="anna@example.org")
    client.post(_link(mail.outbox[0]))
    mail.outbox.clear()
    assert client.post("/en/accounts/password/reset/", {"email": "anna@example.org"}).status_code == 302
    (message,) = mail.outbox
    set_page = client.get(_link(message), follow=True)
    new = "new-winter-pass-2027"
    client.post(set_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert User.objects.get(email="anna@example.org").check_password(new)
    assert client.post("/en/accounts/login/", {"username": "anna@example.org", "password": new}).status_code == 302


@pytest.mark.argon2
def test_passwords_of_new_accounts_are_hashed_with_argon2(client, sms):
    user = _phone_account(client, sms)
    assert user.password.startswith("argon2")


def test_a_phone_taken_by_another_account_is_refused_and_creates_nothing(client, sms):
    _phone_account(client, sms)
    response = _sign_up(client, phone="+7 912 345-67-89")
    assert User.objects.count() == 1 and PhoneNumber.objects.count() == 1
    assert response.status_code == 429  # the number's owner was just sent a code: no second one, no account
    assert "Too many attempts" in response.content.decode()
    cache.clear()  # minutes later: the owner is sent a code, the form tells nothing, still no second account
    later = _sign_up(client, phone="+7 912 345-67-89")
    assert later.status_code == 302
    assert User.objects.count() == 1 and PhoneNumber.objects.count() == 1


def test_without_an_sms_gateway_the_person_is_told_the_code_was_not_sent(client):
    response = _sign_up(client, phone="+79123456789", follow=True)
    assert "The code could not be sent by SMS" in response.content.decode()
    assert PhoneNumber.objects.get().verified_at is None
