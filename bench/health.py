"""Time the client health fit (BG/NBD + Gamma-Gamma) on simulated clients, in one run.

    python bench/health.py                 # 25,000 clients, best of 7
    python bench/health.py --clients 100000 --repeat 5

Clients are drawn (numpy, fixed seed) from the models with known parameters, observed 26–104
weeks in whole days, so the distinct (x, t_x, T) triples are many, as in a real firm. Each
figure is the best of --repeat runs after a warm-up; the ratio is to a raw baseline measured
in the same run: one vectorised evaluation of the BG/NBD log-likelihood over all clients (no
aggregation), i.e. how many likelihood evaluations the whole fit costs. Then the parameters
recovered against the true ones. No database: the maths only (the nightly job's cost on a
database is dominated by reading purchases and writing scores).
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")

import numpy as np

from clientela.retention.health.fitting import bgnbd, gammagamma
from clientela.retention.health.fitting.simulate import simulate

TRUE_RHYTHM = bgnbd.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
TRUE_VALUE = gammagamma.GammaGammaParams(p=6.25, q=3.74, gamma=15.44)


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2005)
    args = parser.parse_args()

    x, t_x, T, m = simulate(args.clients, TRUE_RHYTHM, TRUE_VALUE, seed=args.seed)
    start = TRUE_RHYTHM.as_tuple()
    baseline, _ = best_of(args.repeat, lambda: bgnbd.log_likelihood(start, x, t_x, T).sum())
    rhythm_s, rhythm = best_of(args.repeat, lambda: bgnbd.fit_bgnbd(x, t_x, T))
    value_s, value = best_of(args.repeat, lambda: gammagamma.fit_gamma_gamma(x, m))
    total_s, _ = best_of(
        args.repeat, lambda: (bgnbd.fit_bgnbd(x, t_x, T), gammagamma.fit_gamma_gamma(x, m))
    )
    score_s, _ = best_of(
        args.repeat,
        lambda: (
            bgnbd.p_alive(rhythm.params, x, t_x, T),
            bgnbd.expected_purchases(rhythm.params, 90 / 7, x, t_x, T),
            gammagamma.expected_value_per_purchase(value.params, x, m),
        ),
    )

    print(
        f"clients: {args.clients:,}  repeat buyers: {int((x > 0).sum()):,}  "
        f"distinct (x, t_x, T): {rhythm.distinct:,}  numpy {np.__version__}"
    )
    print(f"{'step':<34}{'best s':>10}{'× baseline':>12}")
    rows = [
        ("baseline: one log-likelihood eval", baseline),
        ("BG/NBD fit", rhythm_s),
        ("Gamma-Gamma fit", value_s),
        ("both fits (the goal: < 1 s)", total_s),
        ("scoring: P(alive), E[Y(90d)], E[M]", score_s),
    ]
    for name, seconds in rows:
        print(f"{name:<34}{seconds:>10.4f}{seconds / baseline:>12.1f}")
    print(
        f"BG/NBD iterations: {rhythm.iterations}, converged: {rhythm.converged}; "
        f"Gamma-Gamma iterations: {value.iterations}, converged: {value.converged}"
    )
    print(f"{'parameter':<10}{'true':>10}{'fitted':>10}{'error %':>10}")
    pairs = list(
        zip(("r", "alpha", "a", "b"), TRUE_RHYTHM.as_tuple(), rhythm.params.as_tuple(), strict=True)
    )
    pairs += list(
        zip(("p", "q", "gamma"), TRUE_VALUE.as_tuple(), value.params.as_tuple(), strict=True)
    )
    for name, true, fitted in pairs:
        print(f"{name:<10}{true:>10.3f}{fitted:>10.3f}{100 * (fitted - true) / true:>10.1f}")
    print("goal met" if total_s < 1.0 else "GOAL MISSED: both fits took 1 s or more")


if __name__ == "__main__":
    main()
