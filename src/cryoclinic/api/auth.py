"""Who may call the API: a signed-in session (the pages; CSRF-checked) or an integration's bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from cryoclinic.accounts import tokens


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token's user becomes `request.user`, so its roles apply unchanged."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.user_for(token)
        if user is None:
            return None
        request.user = user  # type: ignore[assignment]
        return user


token_auth = TokenAuth()
# The token first: a token client sends no CSRF cookie, and the session check refuses such a POST outright.
SESSION_OR_TOKEN = [token_auth, django_auth]
