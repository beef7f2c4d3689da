"""Public reads cached per generation, in Django's cache (Redis with REDIS_URL, local memory otherwise).

A cached answer lives in a namespace (`DIRECTORY`, `KNOWLEDGE`, `SCHEDULING`). Its key carries the namespace's current
generation and the knowledge data version, so a write that changes an answer invalidates the whole namespace by
moving it to a new generation (`invalidate`), and a new knowledge data version never reads an old answer. Nothing
is deleted: old generations expire on their own (settings.CACHE_TIMEOUT_S). Local memory is each process's own:
there another process sees a write only when its copy expires (a minute by default); Redis is shared at once.

A write invalidates twice: at once (the writer's own later reads see it) and when its transaction commits, since a
reader in between may have cached the state from before the write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

DIRECTORY = "directory"  # salons, prices, ratings, statistics, cities: the public directory's answers
KNOWLEDGE = "knowledge"  # the clinics' own knowledge items
SCHEDULING = "scheduling"  # each clinic's planning data: practitioners, their hours and absences, rooms, closed days

T = TypeVar("T")
_MISSING = object()


@lru_cache(maxsize=1)
def data_version() -> str:
    """The shipped knowledge data's version: every procedure file's own version, in one string."""
    from cryoclinic.knowledge.loader import knowledge_base

    procedures = knowledge_base().procedures
    return ".".join(f"{slug}@{procedures[slug].version}" for slug in sorted(procedures))


def _generation_key(namespace: str) -> str:
    return f"cryoclinic:{namespace}:generation"


def _generation(namespace: str) -> str:
    generation = cache.get(_generation_key(namespace))
    if generation is None:
        generation = uuid.uuid4().hex  # a lost generation never brings back an answer cached under an old one
        if not cache.add(_generation_key(namespace), generation, timeout=None):
            generation = cache.get(_generation_key(namespace), generation)
    return str(generation)


def cached(namespace: str, key: str, compute: Callable[[], T]) -> T:
    """The answer cached for `key` in the namespace's current generation, computed and stored when missing."""
    full_key = f"cryoclinic:{namespace}:{_generation(namespace)}:{data_version()}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, timeout=settings.CACHE_TIMEOUT_S)
    return value  # type: ignore[return-value]


def _new_generation(namespace: str) -> None:
    cache.set(_generation_key(namespace), uuid.uuid4().hex, timeout=None)


def invalidate_all() -> None:
    """After a write that sends no signals for what it removes (a restore's flush): every namespace is stale."""
    for namespace in (DIRECTORY, KNOWLEDGE, SCHEDULING):
        invalidate(namespace)


def invalidate(namespace: str) -> None:
    """Every answer cached in the namespace is stale: now, and again when the current transaction commits."""
    _new_generation(namespace)
    transaction.on_commit(lambda: _new_generation(namespace))
