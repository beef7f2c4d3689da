from django.http import HttpRequest

from cryoclinic.clinics.services import clinics_of
from cryoclinic.clinics.state import current_clinic

from .roles import PLATFORM_ADMIN, STAFF_ROLES, roles_of


def roles(request: HttpRequest) -> dict[str, object]:
    """The person's roles in the clinic the request acts for, that clinic, and (read only when a page shows the
    switcher) every clinic of theirs."""
    user_roles = roles_of(request.user)
    return {
        "user_roles": user_roles,
        "is_staff_member": bool(user_roles & set(STAFF_ROLES)),
        "is_platform_admin": PLATFORM_ADMIN in user_roles,
        "current_clinic": current_clinic(),
        "my_clinics": lambda: clinics_of(request.user),
    }
