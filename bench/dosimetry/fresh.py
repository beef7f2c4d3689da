"""The dwell table and the staff dose page in fresh processes, as a new server worker or CLI run meets them.

Cold here means a new Python process. What it finds on disk decides the cost:
  first-ever   no table cache for this data and engine version (`cryoclinic.dosimetry.tablecache`), Numba's
               cache warm (the kernels were compiled before: the state after the first run on a machine);
  fresh clone  no table cache and an empty Numba cache (NUMBA_CACHE_DIR): the kernels are compiled first;
  cached open  the table cache of this version present: nothing is solved and Numba is not imported.
Each figure is the best of a few runs, from importing the engine to holding the 32 rows (table_open.py), or from
a configured Django to the first response (page_open.py: `worker` imports cryoclinic.wsgi first as gunicorn
does; `open` lets the request load the URL configuration). Scratch directories only: the real caches are left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGET_S = 0.3


def _run(script: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{script} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _environment(cache: Path, numba_cache: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "CRYOCLINIC_DOSE_CACHE": str(cache), "PYTHONPATH": str(ROOT / "src")}
    if numba_cache is not None:
        env["NUMBA_CACHE_DIR"] = str(numba_cache)
    return env


def cold_report(repeats: int = 3) -> list[str]:
    """Print the cold figures; return the failures (cached opens over the target)."""
    failures = []
    with tempfile.TemporaryDirectory(prefix="dose-bench-") as scratch:
        root = Path(scratch)

        def fresh_table(numba_empty: bool) -> dict[str, Any]:
            runs = []
            for i in range(repeats):
                cache = root / f"table-{numba_empty}-{i}"
                numba_cache = root / f"numba-{i}" if numba_empty else None
                runs.append(_run("table_open.py", env=_environment(cache, numba_cache)))
                shutil.rmtree(cache, ignore_errors=True)
            return min(runs, key=lambda r: r["seconds"])

        first = fresh_table(numba_empty=False)
        clone = fresh_table(numba_empty=True)
        cache = root / "table"
        _run("table_open.py", env=_environment(cache))
        cached = min(
            (_run("table_open.py", env=_environment(cache)) for _ in range(repeats)), key=lambda r: r["seconds"]
        )
        print(f"dwell table, {cached['rows']} rows, fresh process: first-ever {first['seconds']:.3f} s, fresh clone "
              f"{clone['seconds']:.3f} s, cached open {cached['seconds']:.3f} s (Numba imported: {cached['numba']}; "
              f"target < {TARGET_S} s)")  # fmt: skip
        if cached["seconds"] >= TARGET_S or cached["numba"]:
            failures.append(f"dwell table cached open {cached['seconds']:.3f} s (target < {TARGET_S} s, no Numba)")

        var = root / "var"
        prepare = subprocess.run(
            [sys.executable, str(HERE / "page_open.py"), "prepare", str(var)],
            env=_environment(cache), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if prepare.returncode != 0:
            raise SystemExit(f"page_open.py prepare failed:\n{prepare.stderr}")
        page_first = _run("page_open.py", "worker", str(var), env=_environment(root / "page-table"))
        worker = min((_run("page_open.py", "worker", str(var), env=_environment(cache)) for _ in range(repeats)),
                     key=lambda r: r["seconds"])  # fmt: skip
        request = min((_run("page_open.py", "open", str(var), env=_environment(cache)) for _ in range(repeats)),
                      key=lambda r: r["seconds"])  # fmt: skip
        print(f"staff dose page, first request of a fresh worker: {worker['seconds']:.3f} s with the table cached "
              f"(target < {TARGET_S} s), {page_first['seconds']:.3f} s computing it first; "
              f"{request['seconds']:.3f} s when the request itself loads the URL configuration")  # fmt: skip
        if worker["seconds"] >= TARGET_S or worker["cells"] == 0:  # zones with the same figures share a row
            failures.append(f"dose page first open {worker['seconds']:.3f} s (target < {TARGET_S} s)")
    return failures
