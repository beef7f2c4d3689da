"""Sign-up, email and phone verification, sign-in by code and password reset: django-allauth's views, each with
its access rule declared (the access matrix requires one on every page). Sign-in by password stays the site's own
login page (`login`, which allauth knows as `account_login`)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from allauth.account import urls as allauth_urls
from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from .access import View, public, signed_in

# The person's own account settings: only when signed in (allauth itself also sends others to log in).
SIGNED_IN = {
    "account_email", "account_change_password", "account_set_password", "account_change_phone",
    "account_reauthenticate", "account_request_reauthentication_code", "account_confirm_reauthentication_code",
}
# Where a code is typed: a code that has run out or was used already ends the attempt (allauth sends the person
# back to log in); they are told why.
CODE_ENTRY = {"account_verify_phone", "account_confirm_login_code"}
# Served by the site's own views below.
OWN = {"account_login", "account_logout"}


def _declared(view: View, name: str) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            response = view(request, *args, **kwargs)
        except RateLimited:  # raised from inside a sign-up or sign-in flow that sends a code too soon again
            return respond_429(request)
        if name in CODE_ENTRY and _sent_back_to_log_in(request, response):
            messages.error(request, _("That code has expired or was already used. Ask for a new one."))
        return response

    return signed_in(wrapper) if name in SIGNED_IN else public(wrapper)


def _sent_back_to_log_in(request: HttpRequest, response: Any) -> bool:
    back = {reverse("login"), reverse("account_request_login_code")}
    return request.method == "POST" and response.status_code == 302 and response["Location"] in back


login_view = public(
    auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
)
logout_view = public(auth_views.LogoutView.as_view())

urlpatterns: list[URLPattern] = [
    path("login/", login_view, name="login"),
    path("login/", login_view, name="account_login"),
    path("logout/", logout_view, name="logout"),
    path("logout/", logout_view, name="account_logout"),
]
urlpatterns += [
    URLPattern(pattern.pattern, _declared(pattern.callback, pattern.name or ""), pattern.default_args, pattern.name)
    for pattern in allauth_urls.urlpatterns
    if isinstance(pattern, URLPattern) and pattern.name not in OWN
]
