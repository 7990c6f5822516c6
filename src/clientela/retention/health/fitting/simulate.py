"""Clients drawn from the BG/NBD and Gamma-Gamma models with known parameters (for tests and
the benchmark): each observed for T weeks since their first purchase, times rounded to days."""

import numpy as np
import numpy.typing as npt

from clientela.retention.health.fitting.bgnbd import BgNbdParams
from clientela.retention.health.fitting.gammagamma import GammaGammaParams

FloatArray = npt.NDArray[np.float64]


def simulate(
    n: int,
    rhythm: BgNbdParams,
    value: GammaGammaParams,
    *,
    seed: int = 0,
    weeks: tuple[float, float] = (26.0, 104.0),
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(x, t_x, T, monetary) of `n` clients; T uniform over `weeks`, in whole days."""
    rng = np.random.default_rng(seed)
    T = np.floor(rng.uniform(weeks[0], weeks[1], n) * 7.0) / 7.0
    lam = rng.gamma(rhythm.r, 1.0 / rhythm.alpha, n)
    drop = rng.beta(rhythm.a, rhythm.b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    clock = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1.0 / lam[idx])
        bought = clock[idx] <= T[idx]
        done = idx[~bought]
        active[done] = False
        buyers = idx[bought]
        x[buyers] += 1
        t_x[buyers] = np.floor(clock[buyers] * 7.0) / 7.0
        gone = buyers[rng.random(buyers.size) < drop[buyers]]
        active[gone] = False
    nu = rng.gamma(value.q, 1.0 / value.gamma, n)
    monetary = np.zeros(n)
    repeat = x > 0
    # The mean of x Gamma(p, ν) values is Gamma(p·x, x·ν).
    monetary[repeat] = rng.gamma(value.p * x[repeat], 1.0 / (nu[repeat] * x[repeat]))
    return x, t_x, T, monetary
