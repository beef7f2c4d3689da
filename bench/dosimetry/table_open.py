"""The dwell table in a fresh process: `python bench/dosimetry/table_open.py` prints JSON with the seconds from
importing the dose engine to holding the 32 rows, and whether Numba was loaded on the way (it is not when the
table cache of this data and engine version answers). The caller sets CRYOCLINIC_DOSE_CACHE (the table cache)
and, to time a fresh clone, NUMBA_CACHE_DIR (an empty one: the kernels are compiled first)."""

from __future__ import annotations

import json
import sys
import time

began = time.perf_counter()
from cryoclinic.dosimetry import table  # noqa: E402

rows = table.dwell_table()
seconds = time.perf_counter() - began
print(json.dumps({"seconds": seconds, "rows": len(rows), "numba": "numba" in sys.modules}))
