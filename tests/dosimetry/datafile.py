"""Run a test against an edited copy of the dose data file (every module reads it through `data.load`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from cryoclinic.dosimetry import answers, data


@contextmanager
def edited_data(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Iterator[None]:
    with data.DATA_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    edit(raw)
    copy = tmp_path / "tissue.yaml"
    copy.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    original = data.DATA_FILE
    data.DATA_FILE = copy
    data.load.cache_clear()
    answers.clear_caches()
    try:
        yield
    finally:
        data.DATA_FILE = original
        data.load.cache_clear()
        answers.clear_caches()


def film_boiling_only(raw: dict[str, Any]) -> None:
    """The coolant range before the measurement was cited: LN2 pool film boiling alone (Kida 1981)."""
    raw["coolant"]["h_w_m2k"].update(value=200.0, range=[100.0, 300.0])
