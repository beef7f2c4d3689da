"""Django's model permissions from the roles a user holds in the clinic the request acts for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .contacts import proved_none, username_for
from .roles import permissions_of, roles_of


class RolePermissionBackend(ModelBackend):
    """Authenticates as Django's own backend (by username, or by a proved email or phone); permissions come from
    roles, never cached across clinics."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is not None:
            username = username_for(username)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return None if user is None or proved_none(user) else user

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return permissions_of(roles_of(user_obj))

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return {*self.get_user_permissions(user_obj), *self.get_group_permissions(user_obj)}
