"""Which clinic the code acts for, in one place: the scoped managers, the roles and the database all read it.

Three states, each a context manager that restores the previous state on exit:
- `activate(clinic)`: one clinic's records, and only those, are visible and writable;
- `no_clinic()`: no clinic's records at all: a query of a clinic-owned model raises `ScopeError`;
- `platform()`: the platform's own work across clinics (the directory's live prices, the scheduler's loop over
  clinics, migrations, backups). Code that enters it says why; `tests/clinics/test_scoping.py` lists every use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django_scopes.state import state as scopes_state

from . import rls

if TYPE_CHECKING:
    from .models import Clinic

T = TypeVar("T")
P = ParamSpec("P")
_clinic: ContextVar[Clinic | None] = ContextVar("cryoclinic_clinic", default=None)
_platform: ContextVar[bool] = ContextVar("cryoclinic_platform", default=False)


def current_clinic() -> Clinic | None:
    """The clinic the code acts for, or None (anonymous pages, the platform's own work)."""
    return _clinic.get()


def current_clinic_id() -> int | None:
    clinic = _clinic.get()
    return clinic.pk if clinic is not None else None


def in_platform_scope() -> bool:
    return _platform.get()


@contextmanager
def _state(clinic: Clinic | None, *, platform_wide: bool) -> Iterator[None]:
    scope: dict[str, object]
    if platform_wide:
        scope = {"_enabled": False}
    elif clinic is not None:
        scope = {"_enabled": True, "clinic": clinic.pk}
    else:
        scope = {"_enabled": True}
    tokens = (_clinic.set(clinic), _platform.set(platform_wide), scopes_state.set(scope))
    rls.apply(clinic.pk if clinic is not None else None, platform_wide)
    try:
        yield
    finally:
        scopes_state.reset(tokens[2])
        _platform.reset(tokens[1])
        _clinic.reset(tokens[0])
        rls.apply(current_clinic_id(), in_platform_scope())


@contextmanager
def activate(clinic: Clinic) -> Iterator[Clinic]:
    """Act for `clinic`: its records only."""
    with _state(clinic, platform_wide=False):
        yield clinic


@contextmanager
def no_clinic() -> Iterator[None]:
    """Act for no clinic: reading a clinic-owned model is an error, not an empty answer."""
    with _state(None, platform_wide=False):
        yield


@contextmanager
def platform() -> Iterator[None]:
    """The platform's own work across clinics. Never around a request's handling of one clinic's data."""
    with _state(None, platform_wide=True):
        yield


def each_clinic() -> Iterator[Clinic]:
    """Every clinic that is not suspended, in turn, each inside its own scope (the scheduler's work)."""
    from .models import Clinic

    with platform():
        clinics = list(Clinic.objects.exclude(status=Clinic.Status.SUSPENDED).order_by("pk"))
    for clinic in clinics:
        with activate(clinic):
            yield clinic


def for_each_clinic(empty: Callable[[], T]) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Scheduled work written for one clinic: inside a clinic it runs for that clinic; outside any, for every
    clinic in turn, the results added up (`empty()` when there is none)."""

    def decorate(func: Callable[P, T]) -> Callable[P, T]:
        @wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            if current_clinic_id() is not None:
                return func(*args, **kwargs)
            total = empty()
            for _clinic in each_clinic():
                total = total + func(*args, **kwargs)  # type: ignore[operator]
            return total

        return run

    return decorate
