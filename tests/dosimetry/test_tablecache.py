"""The dwell table and the coolant bounds are computed once per data and engine version and kept on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cryoclinic.dosimetry import answers, bounds, tablecache

from .datafile import edited_data


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "dose-answers"
    monkeypatch.setenv("CRYOCLINIC_DOSE_CACHE", str(directory))
    answers.clear_caches()
    yield directory
    answers.clear_caches()


def refuse_to_solve(*args, **kwargs):
    raise AssertionError("the engine was asked to solve although the table cache holds this version")


def test_the_table_is_stored_once_and_read_back_without_solving(cache_dir, monkeypatch):
    rows = answers.dwell_table()
    assert tablecache.path_for(tablecache.version()).is_file()
    answers.clear_caches()
    monkeypatch.setattr(bounds, "bounds", refuse_to_solve)
    monkeypatch.setattr(answers, "_dwell", refuse_to_solve)
    again = answers.dwell_table()
    assert [row.as_dict() for row in again] == [row.as_dict() for row in rows]
    cell = answers.safe_dwell("eyelid", "cotton_swab", "female")
    assert cell.dwell_s == next(r.dwell_s for r in rows if (r.zone, r.technique, r.skin) == cell_place(cell))
    assert answers.coolant_bounds()[0].held


def cell_place(row: answers.Dwell) -> tuple[str, str, str]:
    return row.zone, row.technique, row.skin


def test_earlier_passes_are_still_computed(cache_dir):
    fresh = answers.safe_dwell("eyelid", "cotton_swab", "female")
    after = answers.safe_dwell("eyelid", "cotton_swab", "female", passes=answers.Passes(3, 0.02, 0.5))
    assert after.passes["count"] == 3 and 0 < after.dwell_s < fresh.dwell_s


def test_a_fresh_process_answers_from_the_cache_without_importing_numba(cache_dir):
    answers.dwell_table()
    code = (
        "import json, sys; from cryoclinic.dosimetry import answers; rows = answers.dwell_table(); "
        "print(json.dumps([len(rows), rows[0].dwell_s, 'numba' in sys.modules]))"
    )
    source = str(Path(answers.__file__).resolve().parents[2])
    env = {**os.environ, "CRYOCLINIC_DOSE_CACHE": str(cache_dir), "PYTHONPATH": source}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    count, first_dwell_s, numba_loaded = json.loads(done.stdout)
    assert count == 32 and first_dwell_s == answers.dwell_table()[0].dwell_s and not numba_loaded


def test_another_data_file_is_another_version(cache_dir, tmp_path):
    before = tablecache.version()

    def warmer_room(raw):
        raw["air"]["temperature_c"]["value"] = 24.0

    with edited_data(tmp_path, warmer_room):
        assert tablecache.version() != before
        assert tablecache.read(tablecache.version()) is None
    assert tablecache.version() == before


def test_a_file_of_another_version_is_not_read(cache_dir):
    key = tablecache.version()
    cache_dir.mkdir(parents=True)
    tablecache.path_for(key).write_text(json.dumps({"version": "something else", "table": []}), encoding="utf-8")
    assert tablecache.read(key) is None
    tablecache.path_for(key).write_text("{not json", encoding="utf-8")
    assert tablecache.read(key) is None
    assert len(answers.dwell_table()) == 32
    assert tablecache.read(key) is not None


def test_a_directory_that_cannot_be_written_only_costs_the_recomputation(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("CRYOCLINIC_DOSE_CACHE", str(blocker / "dose"))
    answers.clear_caches()
    try:
        assert len(answers.dwell_table()) == 32
    finally:
        answers.clear_caches()
    assert "dose answers not cached" in caplog.text
