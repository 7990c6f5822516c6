"""The statistics against scipy, over many random tables (fixed seed) and the edge cases:
0 successes, all successes, n = 1."""

import math
import random

import pytest
from scipy.stats import binomtest, chi2_contingency, fisher_exact, norm

from clientela.retention.experiments import stats

RANDOM_TABLES = 400


def _random_tables(seed: int = 20260511) -> list[tuple[int, int, int, int]]:
    rng = random.Random(seed)
    tables = []
    for _ in range(RANDOM_TABLES):
        n1 = rng.choice([1, 2, 3, 5, 8, 13, 30, 75, 200, 1000])
        n2 = rng.choice([1, 2, 4, 7, 12, 40, 90, 500])
        tables.append((rng.randint(0, n1), n1, rng.randint(0, n2), n2))
    return tables


EDGE_TABLES = [
    (0, 10, 0, 12),  # nobody bought
    (10, 10, 12, 12),  # everybody bought
    (0, 1, 1, 1),  # n = 1
    (1, 1, 1, 1),
    (0, 1, 0, 1),
    (0, 50, 50, 50),
    (50, 50, 0, 50),
    (1, 2, 0, 1),
]


@pytest.mark.parametrize("table", _random_tables() + EDGE_TABLES)
def test_fisher_exact_matches_scipy(table: tuple[int, int, int, int]) -> None:
    k1, n1, k2, n2 = table
    expected = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided").pvalue
    assert stats.fisher_exact_p(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("table", _random_tables())
def test_z_test_matches_scipy_normal_and_chi_square(table: tuple[int, int, int, int]) -> None:
    k1, n1, k2, n2 = table
    result = stats.two_proportion_z_test(k1, n1, k2, n2)
    pooled = (k1 + k2) / (n1 + n2)
    if pooled in (0, 1):
        # Nothing to tell the arms apart: scipy cannot build the expected table either.
        assert (result.z, result.p_value) == (0.0, 1.0)
        return
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (k1 / n1 - k2 / n2) / se
    assert result.z == pytest.approx(z, rel=1e-12, abs=1e-12)
    assert result.p_value == pytest.approx(2 * norm.sf(abs(z)), rel=1e-9, abs=1e-15)
    chi2, p_chi2, dof, _expected = chi2_contingency(
        [[k1, n1 - k1], [k2, n2 - k2]], correction=False
    )
    assert dof == 1
    assert result.z**2 == pytest.approx(chi2, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(p_chi2, rel=1e-7, abs=1e-15)


@pytest.mark.parametrize(
    ("successes", "n"), [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (57, 200)]
)
def test_wilson_interval_matches_scipy(successes: int, n: int) -> None:
    expected = binomtest(successes, n).proportion_ci(confidence_level=0.95, method="wilson")
    found = stats.wilson_interval(successes, n)
    assert found.low == pytest.approx(expected.low, abs=1e-12)
    assert found.high == pytest.approx(expected.high, abs=1e-12)


def test_wilson_interval_matches_scipy_on_random_counts() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 500)
        k = rng.randint(0, n)
        expected = binomtest(k, n).proportion_ci(method="wilson")
        found = stats.wilson_interval(k, n)
        assert (found.low, found.high) == pytest.approx((expected.low, expected.high), abs=1e-12)


# Newcombe (1998), Statistics in Medicine 17:873–890, table II, method 10 (hybrid score).
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize(("table", "expected"), NEWCOMBE_TABLE_II)
def test_newcombe_interval_matches_the_published_values(table, expected) -> None:
    found = stats.newcombe_interval(*table)
    assert (found.low, found.high) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize("table", _random_tables(seed=3)[:200] + EDGE_TABLES)
def test_newcombe_interval_is_built_from_scipys_wilson_intervals(table) -> None:
    k1, n1, k2, n2 = table
    w1 = binomtest(k1, n1).proportion_ci(method="wilson")
    w2 = binomtest(k2, n2).proportion_ci(method="wilson")
    p1, p2 = k1 / n1, k2 / n2
    low = p1 - p2 - math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2)
    high = p1 - p2 + math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2)
    found = stats.newcombe_interval(k1, n1, k2, n2)
    assert found.low == pytest.approx(max(-1.0, low), abs=1e-9)
    assert found.high == pytest.approx(min(1.0, high), abs=1e-9)
    assert found.low <= p1 - p2 <= found.high


def test_compare_uses_the_exact_test_for_small_expected_counts() -> None:
    small = stats.compare(3, 10, 1, 10)  # expected successes 2 per arm
    assert small.test == "fisher"
    assert small.p_value == pytest.approx(fisher_exact([[3, 7], [1, 9]]).pvalue)
    large = stats.compare(40, 100, 25, 100)
    assert large.test == "z"
    _chi2, p_value, _dof, _exp = chi2_contingency([[40, 60], [25, 75]], correction=False)
    assert large.p_value == pytest.approx(p_value)
    assert large.difference == pytest.approx(0.15)


def test_compare_switches_at_an_expected_count_of_five() -> None:
    # Expected successes: 10 × 10 / 20 = 5 per arm → z-test; 9 successes → 4.5 → exact.
    assert stats.compare(7, 10, 3, 10).test == "z"
    assert stats.compare(6, 10, 3, 10).test == "fisher"


def test_holm_adjustment() -> None:
    # Worked example: p = 0.01, 0.04, 0.03 → 0.03, 0.06, 0.06 (monotone step-down).
    assert stats.holm_adjust([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert stats.holm_adjust([0.5]) == [0.5]
    assert stats.holm_adjust([0.6, 0.9]) == pytest.approx([1.0, 1.0])


def test_holm_adjusted_values_never_fall_below_the_raw_ones() -> None:
    rng = random.Random(11)
    for _ in range(200):
        raw = [rng.random() ** 3 for _ in range(rng.randint(1, 5))]
        adjusted = stats.holm_adjust(raw)
        assert all(a >= r for a, r in zip(adjusted, raw, strict=True))
        # Same order as the raw p-values (monotone).
        order = sorted(range(len(raw)), key=lambda i: raw[i])
        assert [adjusted[i] for i in order] == sorted(adjusted)


@pytest.mark.parametrize(
    ("p1", "p2"), [(0.1, 0.2), (0.3, 0.35), (0.5, 0.6), (0.05, 0.01), (0.0, 0.2), (0.9, 1.0)]
)
def test_sample_size_gives_eighty_percent_power(p1: float, p2: float) -> None:
    n = stats.sample_size_per_arm(p1, p2)
    assert n is not None

    def power(size: int) -> float:
        # Computed independently with scipy: the z-test's power under the alternative.
        mean = (p1 + p2) / 2
        null_sd = math.sqrt(2 * mean * (1 - mean))
        alt_sd = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
        return norm.cdf((abs(p1 - p2) * math.sqrt(size) - norm.ppf(0.975) * null_sd) / alt_sd)

    assert power(n) >= 0.8 - 1e-9
    if n > 2:
        assert power(n - 1) < 0.8


def test_sample_size_known_value_and_no_difference() -> None:
    assert stats.sample_size_per_arm(0.1, 0.2) == 199  # the textbook figure (Fleiss, no CC)
    assert stats.sample_size_per_arm(0.3, 0.3) is None


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="successes <= n"):
        stats.wilson_interval(3, 2)
    with pytest.raises(ValueError, match="at least one client"):
        stats.two_proportion_z_test(0, 0, 1, 2)
