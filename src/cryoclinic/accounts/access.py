"""Every view declares who may use it. A test walks the URL map and fails on an undeclared view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from .roles import ROLES, roles_of

View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class AccessRule:
    public: bool
    roles: frozenset[str]
    signed_in: bool = False

    def allows(self, request: HttpRequest) -> bool:
        if self.public or (self.signed_in and request.user.is_authenticated):
            return True
        return bool(roles_of(request.user) & self.roles)


def public(view: View) -> View:
    """Anyone, signed in or not."""
    view.access_rule = AccessRule(public=True, roles=frozenset())  # type: ignore[attr-defined]
    return view


def signed_in(view: View) -> View:
    """Anyone signed in, whatever their roles: their own account (its contacts, password, data); others log in."""
    rule = AccessRule(public=False, roles=frozenset(), signed_in=True)

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    guarded.access_rule = rule  # type: ignore[attr-defined]
    return guarded


def roles_required(*roles: str) -> Callable[[View], View]:
    """Signed-in users holding one of `roles`; others are sent to log in (anonymous) or refused (403)."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {ROLES}")
    rule = AccessRule(public=False, roles=frozenset(roles))

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.allows(request):
                audit_refusal(request)
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorate


def audit_refusal(request: HttpRequest) -> None:
    """A signed-in person refused by role is logged: a platform admin trying a health record is one of them."""
    from . import audit

    match = request.resolver_match
    audit.record(
        request.user,  # type: ignore[arg-type]
        "refused",
        ((match.view_name if match else "page")[:60], request.path[:60]),
        request=request,
        detail=f"roles {','.join(sorted(roles_of(request.user))) or 'none'} may not use this",
    )


def refused(request: HttpRequest) -> HttpResponse:
    """The 403 page for an action the role may not take on a page it may see; logged like any refusal."""
    from django.shortcuts import render

    audit_refusal(request)
    return render(request, "403.html", status=403)


def access_rule_of(view: Any) -> AccessRule | None:
    return getattr(view, "access_rule", None)
