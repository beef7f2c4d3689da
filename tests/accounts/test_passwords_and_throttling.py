import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2():
    user = User.objects.create_user("anna", password="a-long-pass-2026")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a-long-pass-2026")


def test_login_page_logs_in_with_the_right_password(client, make_user):
    make_user("reception", username="rita", password="right-pass-2026")
    response = client.post("/en/accounts/login/", {"username": "rita", "password": "right-pass-2026"})
    assert response.status_code == 302
    assert client.get("/en/staff/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user("reception", username="rita", password="right-pass-2026")
    response = client.post("/en/accounts/login/", {"username": "rita", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(client, make_user, settings):
    make_user("reception", username="rita", password="right-pass-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/accounts/login/", {"username": "rita", "password": "wrong"})
    response = client.post("/en/accounts/login/", {"username": "rita", "password": "right-pass-2026"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert client.get("/en/staff/").status_code == 302
