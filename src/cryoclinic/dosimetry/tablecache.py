"""Answers that depend only on the data file and the engine, kept on disk per version of both.

The dwell table (every zone x technique x skin) and the measurements that bound the coolant's range are a pure
function of two things: the data file and the engine's code. They are computed once per version and stored as
JSON in a file named by that version, so a fresh process (a new server worker, the CLI, the bench) opens them
without solving anything and without importing Numba (the kernels are imported on first use only).

Why on disk here rather than in Django's cache from the guidance layer: the engine is pure (no Django) and
serves the CLI and the bench as well as the pages, so the cache belongs with it; a file named by a hash of its
inputs can never be stale, needs no invalidation, survives restarts and deploys of unchanged code and is shared
by every worker of the machine; Django's cache (Redis at scale) would add a dependency and a network round trip
to save each machine a computation of about a second, and its default (per-process memory) would not survive a
worker restart at all.

The version: SHA-256 of the data file's bytes, of the source of every module of this package, and of the
installed NumPy and Numba (the path and modification time of each package's `__init__.py`, found without
importing them, which would cost more than reading the table). The directory: $CRYOCLINIC_DOSE_CACHE, else
$XDG_CACHE_HOME/cryoclinic/dose, else ~/.cache/cryoclinic/dose. Writes are atomic (a temporary file renamed); a
directory that cannot be written only costs the recomputation in the next process (logged as a warning).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from . import data

logger = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent
FORMAT = 1  # the layout of the stored file


def directory() -> Path:
    configured = os.environ.get("CRYOCLINIC_DOSE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cryoclinic" / "dose"


def version() -> str:
    """The hash of everything the stored answers depend on."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    digest.update(data.DATA_FILE.read_bytes())
    for source in sorted(PACKAGE_DIR.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for package in ("numpy", "numba"):
        spec = find_spec(package)
        origin = spec.origin if spec is not None and spec.origin else ""
        stamp = os.stat(origin).st_mtime_ns if origin else 0
        digest.update(f"{package} {origin} {stamp}\n".encode())
    return digest.hexdigest()[:32]


def path_for(key: str) -> Path:
    return directory() / f"answers-{key}.json"


def read(key: str) -> dict[str, Any] | None:
    """The stored answers of this version, or None (not computed yet, or unreadable)."""
    try:
        with path_for(key).open(encoding="utf-8") as handle:
            stored: dict[str, Any] = json.load(handle)
    except (OSError, ValueError):
        return None
    return stored if stored.get("version") == key else None


def write(key: str, answers: dict[str, Any]) -> None:
    target = path_for(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=".answers-", suffix=".tmp", delete=False
        ) as handle:
            json.dump({**answers, "version": key}, handle, ensure_ascii=False)
        os.replace(handle.name, target)
    except OSError as error:
        logger.warning("dose answers not cached in %s: %s", target.parent, error)
