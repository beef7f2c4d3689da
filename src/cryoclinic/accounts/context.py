from django.http import HttpRequest

from .roles import STAFF_ROLES, roles_of


def roles(request: HttpRequest) -> dict[str, object]:
    user_roles = roles_of(request.user)
    return {"user_roles": user_roles, "is_staff_member": bool(user_roles & set(STAFF_ROLES))}
