"""Banded Cholesky solve for symmetric positive definite matrices, compiled with Numba.

Why not SciPy: on the 2D grids of `enthalpy2d` (bandwidth = the shorter grid side, up to ~60) SuperLU
(`splu`) takes 4–9 ms per factorisation where this takes 0.5–2 ms, and LAPACK's banded Cholesky is
slowed 10x by OpenBLAS threading on a shared 2-core machine. Single-threaded, no pivoting (SPD).
The compiled code is cached on disk (`cache=True`); the first call in a fresh environment compiles (~1.5 s).
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray


@numba.njit(cache=True)
def band_cholesky_solve(band: NDArray[np.float64], rhs: NDArray[np.float64]) -> NDArray[np.float64]:
    """Solve A x = rhs, A given in lower band storage band[j, d] = A[j + d, j] (d = 0..bandwidth).

    `band` is overwritten with the Cholesky factor; `rhs` is left unchanged.
    """
    n, width = band.shape
    bandwidth = width - 1
    for j in range(n):
        pivot = np.sqrt(band[j, 0])
        band[j, 0] = pivot
        m = min(bandwidth, n - 1 - j)
        for d in range(1, m + 1):
            band[j, d] /= pivot
        for c in range(1, m + 1):
            factor = band[j, c]
            if factor != 0.0:
                column = j + c
                for d in range(0, m - c + 1):
                    band[column, d] -= band[j, c + d] * factor
    x = rhs.copy()
    for j in range(n):
        x[j] /= band[j, 0]
        xj = x[j]
        m = min(bandwidth, n - 1 - j)
        for d in range(1, m + 1):
            x[j + d] -= band[j, d] * xj
    for j in range(n - 1, -1, -1):
        total = x[j]
        m = min(bandwidth, n - 1 - j)
        for d in range(1, m + 1):
            total -= band[j, d] * x[j + d]
        x[j] = total / band[j, 0]
    return x
