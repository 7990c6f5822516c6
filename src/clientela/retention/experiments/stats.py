"""The statistics of an experiment: pure functions of counts, no database.

A comparison is always "treatment arm against the control arm" on a 2×2 table
(retained / not retained × arm). The choices, and why:

- Per-arm interval: Wilson score. The Wald interval p ± z·√(p(1−p)/n) collapses to a point
  at 0 or n successes and undercovers badly below n ≈ 40; Wilson keeps close to 95 %.
- Difference interval: Newcombe's hybrid score interval (Newcombe 1998, method 10), built
  from the two Wilson intervals. It stays inside [−1, 1], is defined at 0 and at n successes
  and holds its coverage for the small arms a sales team has; the Wald difference interval
  does none of that.
- Test: the two-proportion z-test with the pooled standard error (two-sided; its square is
  Pearson's χ² without continuity correction) when every expected cell count is at least 5,
  otherwise Fisher's exact test (two-sided, summing the hypergeometric probabilities of every
  table no more likely than the observed one).
- Several treatments against one control: Holm's step-down adjustment (controls the
  family-wise error, uniformly more powerful than Bonferroni).
- Sample size: per arm, for 80 % power at two-sided α = 0.05 to detect the observed
  difference (the usual normal-approximation formula with the pooled variance under H0).
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()
EXACT_BELOW = 5  # the smallest expected cell count for which the z-test is used
# scipy's fisher_exact counts tables as "as extreme" up to this relative tolerance, so that
# floating-point noise does not drop a table exactly as likely as the observed one.
_FISHER_TOLERANCE = 1 + 1e-7


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class ZTest:
    z: float
    p_value: float


@dataclass(frozen=True)
class Comparison:
    """A treatment (1) against the control (2)."""

    difference: float  # p1 − p2
    interval: Interval  # Newcombe hybrid score, 95 %
    p_value: float
    test: str  # "z" or "fisher"


def _z(confidence: float) -> float:
    return _NORMAL.inv_cdf(1 - (1 - confidence) / 2)


def _check(successes: int, n: int) -> None:
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval of a proportion; [0, 1] when n is 0 (nothing is known)."""
    _check(successes, n)
    if n == 0:
        return Interval(0.0, 1.0)
    z = _z(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # Exact ends where they are known: rounding must not put 0 or 1 outside the interval.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(low, high)


def two_proportion_z_test(k1: int, n1: int, k2: int, n2: int) -> ZTest:
    """Two-sided z-test of p1 = p2 with the pooled standard error.

    When both arms are all failures or all successes the pooled variance is 0 and the data
    cannot tell the arms apart: z = 0, p = 1.
    """
    _check(k1, n1)
    _check(k2, n2)
    if n1 == 0 or n2 == 0:
        raise ValueError("both arms need at least one client")
    pooled = (k1 + k2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return ZTest(0.0, 1.0)
    z = (k1 / n1 - k2 / n2) / math.sqrt(variance)
    return ZTest(z, min(1.0, 2 * _NORMAL.cdf(-abs(z))))


def _log_hypergeometric(x: int, row1: int, row2: int, col1: int) -> float:
    """log P(X = x): x successes in arm 1 of `row1` clients, `col1` successes among all."""
    return _log_comb(row1, x) + _log_comb(row2, col1 - x) - _log_comb(row1 + row2, col1)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test on [[k1, n1−k1], [k2, n2−k2]].

    With the margins fixed, the successes of arm 1 follow the hypergeometric distribution;
    the p-value is the total probability of the tables no more likely than the observed one.
    """
    _check(k1, n1)
    _check(k2, n2)
    successes = k1 + k2
    lowest = max(0, successes - n2)
    highest = min(n1, successes)
    if lowest == highest:
        return 1.0
    observed = _log_hypergeometric(k1, n1, n2, successes)
    limit = observed + math.log(_FISHER_TOLERANCE)
    total = 0.0
    for x in range(lowest, highest + 1):
        log_p = _log_hypergeometric(x, n1, n2, successes)
        if log_p <= limit:
            total += math.exp(log_p)
    return min(1.0, total)


def smallest_expected_count(k1: int, n1: int, k2: int, n2: int) -> float:
    total = n1 + n2
    if total == 0:
        return 0.0
    successes = k1 + k2
    failures = total - successes
    return min(n * outcome / total for n in (n1, n2) for outcome in (successes, failures))


def newcombe_interval(k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95) -> Interval:
    """Newcombe's hybrid score interval for p1 − p2 (method 10, from two Wilson intervals)."""
    _check(k1, n1)
    _check(k2, n2)
    if n1 == 0 or n2 == 0:
        return Interval(-1.0, 1.0)
    p1, p2 = k1 / n1, k2 / n2
    w1 = wilson_interval(k1, n1, confidence)
    w2 = wilson_interval(k2, n2, confidence)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2)
    high = difference + math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2)
    return Interval(max(-1.0, low), min(1.0, high))


def compare(k1: int, n1: int, k2: int, n2: int) -> Comparison:
    """Arm 1 (treatment) against arm 2 (control): the difference, its interval and a test —
    Fisher's exact test when an expected cell count is below 5, the z-test otherwise."""
    interval = newcombe_interval(k1, n1, k2, n2)
    if smallest_expected_count(k1, n1, k2, n2) < EXACT_BELOW:
        p_value, test = fisher_exact_p(k1, n1, k2, n2), "fisher"
    else:
        p_value, test = two_proportion_z_test(k1, n1, k2, n2).p_value, "z"
    return Comparison(k1 / n1 - k2 / n2, interval, p_value, test)


def holm_adjust(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def sample_size_per_arm(
    p1: float, p2: float, *, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Clients per arm for `power` to detect p1 ≠ p2 with a two-sided test at level `alpha`;
    None when the rates are equal (no difference to detect)."""
    if not (0 <= p1 <= 1 and 0 <= p2 <= 1):
        raise ValueError("rates must be within [0, 1]")
    difference = abs(p1 - p2)
    if difference == 0:
        return None
    z_alpha = _NORMAL.inv_cdf(1 - alpha / 2)
    z_beta = _NORMAL.inv_cdf(power)
    mean = (p1 + p2) / 2
    numerator = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_beta * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return max(2, math.ceil((numerator / difference) ** 2 - 1e-9))


def power_of(p1: float, p2: float, n: int, *, alpha: float = 0.05) -> float:
    """The approximate power of the z-test with n clients per arm (the inverse of the above)."""
    difference = abs(p1 - p2)
    mean = (p1 + p2) / 2
    z_alpha = _NORMAL.inv_cdf(1 - alpha / 2)
    spread = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    if spread == 0:
        return 1.0 if difference > 0 else 0.0
    return _NORMAL.cdf(
        (difference * math.sqrt(n) - z_alpha * math.sqrt(2 * mean * (1 - mean))) / spread
    )
