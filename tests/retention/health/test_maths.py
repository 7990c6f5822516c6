"""The health maths against independent computations (numeric integration, closed forms)."""

import datetime
import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from clientela.retention.health.fitting import bgnbd, gammagamma, rfm_summary
from clientela.retention.health.fitting.simulate import simulate

CDNOW = bgnbd.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
VALUE = gammagamma.GammaGammaParams(p=6.25, q=3.74, gamma=15.44)


def _likelihood_by_integration(params: bgnbd.BgNbdParams, x: int, t_x: float, T: float) -> float:
    """BG/NBD likelihood of one client from the model's definition, integrated numerically."""
    r, alpha, a, b = params.as_tuple()

    def given(lam: float, p: float) -> float:
        alive = (1 - p) ** x * lam**x * math.exp(-lam * T)
        dropped = p * (1 - p) ** (x - 1) * lam**x * math.exp(-lam * t_x) if x > 0 else 0.0
        return (
            (alive + dropped) * stats.gamma.pdf(lam, r, scale=1 / alpha) * stats.beta.pdf(p, a, b)
        )

    value, _err = integrate.dblquad(given, 0, 1, 0, np.inf, epsabs=1e-13, epsrel=1e-9)
    return value


@pytest.mark.parametrize(
    ("params", "x", "t_x", "T"),
    [
        (bgnbd.BgNbdParams(1.5, 3.0, 2.0, 4.0), 2, 30.43, 38.86),
        (bgnbd.BgNbdParams(2.0, 10.0, 1.5, 3.0), 0, 0.0, 20.0),
        (bgnbd.BgNbdParams(1.2, 4.4, 0.8, 2.4), 5, 12.0, 30.0),
    ],
)
def test_log_likelihood_matches_numeric_integration(
    params: bgnbd.BgNbdParams, x: int, t_x: float, T: float
) -> None:
    closed = bgnbd.log_likelihood(params.as_tuple(), np.array([x]), np.array([t_x]), np.array([T]))
    assert closed[0] == pytest.approx(
        math.log(_likelihood_by_integration(params, x, t_x, T)), abs=1e-5
    )


def test_p_alive_matches_the_closed_form_by_hand() -> None:
    r, alpha, a, b = CDNOW.as_tuple()
    x, t_x, T = 2.0, 30.43, 38.86
    by_hand = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    found = bgnbd.p_alive(CDNOW, np.array([x, 0.0]), np.array([t_x, 0.0]), np.array([T, T]))
    assert found[0] == pytest.approx(by_hand, rel=1e-12)
    assert found[1] == 1.0  # no repeat purchase: cannot have dropped out yet


def test_p_alive_does_not_overflow_for_heavy_buyers() -> None:
    found = bgnbd.p_alive(CDNOW, np.array([400.0]), np.array([1.0]), np.array([300.0]))
    assert 0.0 <= found[0] < 1e-6


def test_expected_purchases_of_a_new_client_is_the_unconditional_mean() -> None:
    r, alpha, a, b = CDNOW.as_tuple()
    t = 39.0
    from scipy.special import hyp2f1

    unconditional = (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    )
    found = bgnbd.expected_purchases(CDNOW, t, np.array([0.0]), np.array([0.0]), np.array([0.0]))
    assert found[0] == pytest.approx(unconditional, rel=1e-10)
    # and it agrees with clients simulated from the model
    x, _t_x, _T, _m = simulate(40_000, CDNOW, VALUE, seed=3, weeks=(t, t))
    assert x.mean() == pytest.approx(unconditional, rel=0.05)


def test_gradients_are_the_derivatives_of_the_likelihood() -> None:
    x, t_x, T, m = simulate(300, CDNOW, VALUE, seed=1)
    (xu, tu, Tu), w = bgnbd.compress(x, t_x, T)
    xs, xi = np.unique(xu, return_inverse=True)
    point = np.log([0.4, 3.0, 0.9, 2.0])
    error = optimize.check_grad(
        lambda p: bgnbd._objective(p, xu, tu, Tu, w, xs, xi)[0],
        lambda p: bgnbd._objective(p, xu, tu, Tu, w, xs, xi)[1],
        point,
    )
    assert error < 1e-6
    keep = x > 0
    (xg, mg), wg = bgnbd.compress(x[keep], m[keep])
    error = optimize.check_grad(
        lambda p: gammagamma._objective(p, xg, mg, wg)[0],
        lambda p: gammagamma._objective(p, xg, mg, wg)[1],
        np.log([3.0, 2.0, 10.0]),
    )
    assert error < 1e-6


def test_conditional_value_matches_the_posterior_mean_by_integration() -> None:
    p, q, gamma = VALUE.as_tuple()
    x, m = 3.0, 42.0
    # ν's posterior ∝ Gamma(q, γ) prior × the density of the mean of x Gamma(p, ν) values.
    prior = lambda nu: stats.gamma.pdf(nu, q, scale=1 / gamma)  # noqa: E731
    likelihood = lambda nu: stats.gamma.pdf(m, p * x, scale=1 / (nu * x))  # noqa: E731
    weight, _ = integrate.quad(lambda nu: prior(nu) * likelihood(nu), 0, np.inf)
    mean, _ = integrate.quad(lambda nu: p / nu * prior(nu) * likelihood(nu), 0, np.inf)
    found = gammagamma.expected_value_per_purchase(VALUE, np.array([x]), np.array([m]))
    assert found[0] == pytest.approx(mean / weight, rel=1e-6)


def test_fits_recover_known_parameters_from_simulated_clients() -> None:
    x, t_x, T, m = simulate(20_000, CDNOW, VALUE, seed=7)
    rhythm = bgnbd.fit_bgnbd(x, t_x, T)
    value = gammagamma.fit_gamma_gamma(x, m)
    assert rhythm.converged
    assert value.converged
    for fitted, true in zip(rhythm.params.as_tuple(), CDNOW.as_tuple(), strict=True):
        assert fitted == pytest.approx(true, rel=0.1)
    for fitted, true in zip(value.params.as_tuple(), VALUE.as_tuple(), strict=True):
        assert fitted == pytest.approx(true, rel=0.15)
    assert rhythm.distinct < rhythm.n  # clients with the same (x, t_x, T) are evaluated once


def test_summary_merges_same_day_purchases_and_leaves_the_first_out_of_value() -> None:
    day = datetime.date(1997, 1, 1).toordinal()
    end = datetime.date(1997, 9, 30).toordinal()
    summary = rfm_summary(
        [1, 1, 1, 1, 2, 3],
        [day, day, day + 17, day + 17, day + 3, end + 5],
        [10.0, 5.0, 20.0, 4.0, 99.0, 50.0],
        end_day=end,
    )
    assert summary.client.tolist() == [1, 2]  # client 3 bought only after the end
    assert summary.x.tolist() == [1.0, 0.0]
    assert summary.t_x[0] == pytest.approx(17 / 7)
    assert summary.T.tolist() == pytest.approx([272 / 7, 269 / 7])
    assert summary.monetary.tolist() == [24.0, 0.0]


def test_empty_or_impossible_data_is_refused() -> None:
    with pytest.raises(ValueError, match="no clients"):
        bgnbd.fit_bgnbd([], [], [])
    with pytest.raises(ValueError, match="t_x <= T"):
        bgnbd.fit_bgnbd([1], [5.0], [2.0])
    with pytest.raises(ValueError, match="repeat buyers"):
        gammagamma.fit_gamma_gamma([0, 0], [0.0, 0.0])


def test_a_fit_without_a_population_mean_still_values_repeat_buyers() -> None:
    # q ≤ 1: no mean spend for the population, so a one-time buyer has no value; spend that
    # hardly varies within a client (p large) values a repeat buyer at about their own mean.
    flat = gammagamma.GammaGammaParams(p=1e5, q=0.99, gamma=0.01)
    values = gammagamma.expected_value_per_purchase(
        flat, np.array([0.0, 3.0, 1.0]), np.array([0.0, 250.0, 40.0])
    )
    assert math.isnan(values[0])
    assert values[1] == pytest.approx(250.0, rel=1e-4)
    assert values[2] == pytest.approx(40.0, rel=1e-3)
