"""The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While active a client buys as a Poisson process with rate λ ~ Gamma(r, α); after each
purchase they drop out with probability p ~ Beta(a, b). Per client the data are x (repeat
purchases), t_x (time of the last one) and T (time observed), in weeks.

The log-likelihood of one client (eq. 6 of the paper, in log-sum-exp form so large x and T
do not overflow):

    ln L = ln Γ(r+x) − ln Γ(r) + r ln α
           + ln[ B(a, b+x)/B(a,b) (α+T)^−(r+x)  +  1{x>0} B(a+1, b+x−1)/B(a,b) (α+t_x)^−(r+x) ]

The fit maximises the weighted sum over the *distinct* (x, t_x, T) triples (clients with
the same triple have the same likelihood; the weight is their number), with L-BFGS-B on the
logarithms of the parameters (so they stay positive) and the analytic gradient.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.r, self.alpha, self.a, self.b)


@dataclass(frozen=True)
class BgNbdFit:
    params: BgNbdParams
    log_likelihood: float  # at the optimum, summed over all clients
    n: int  # clients
    distinct: int  # distinct (x, t_x, T) triples actually evaluated
    converged: bool
    iterations: int


def compress(*columns: FloatArray) -> tuple[list[FloatArray], FloatArray]:
    """The distinct rows of `columns` and how many times each occurs (the weights)."""
    stacked = np.column_stack(columns)
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return [unique[:, i].copy() for i in range(unique.shape[1])], counts.astype(np.float64)


def _terms(
    r: float, alpha: float, a: float, b: float, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    repeat = x > 0
    # x − 1 clipped for the x = 0 rows, whose second term is masked out anyway.
    x1 = np.where(repeat, x - 1.0, 0.0)
    beta_ab = special.betaln(a, b)
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - beta_ab - (r + x) * np.log(alpha + T)
    a3 = special.betaln(a + 1.0, b + x1) - beta_ab - (r + x) * np.log(alpha + t_x)
    a3 = np.where(repeat, a3, -np.inf)
    return a1, a2, a3, repeat


def log_likelihood(
    params: tuple[float, float, float, float], x: FloatArray, t_x: FloatArray, T: FloatArray
) -> FloatArray:
    """ln L for each client."""
    r, alpha, a, b = params
    a1, a2, a3, _ = _terms(r, alpha, a, b, x, t_x, T)
    return a1 + np.logaddexp(a2, a3)


def _objective(
    log_params: FloatArray,
    x: FloatArray,
    t_x: FloatArray,
    T: FloatArray,
    w: FloatArray,
    xs: FloatArray,
    xi: npt.NDArray[np.intp],
) -> tuple[float, FloatArray]:
    """Minus the mean log-likelihood and its gradient in the log-parameters.

    The special functions depend on x only, which takes few distinct values (`xs`, with `xi`
    mapping each row to its value): they are evaluated on those and gathered.
    """
    r, alpha, a, b = np.exp(log_params)
    repeat_s = xs > 0
    xs1 = np.where(repeat_s, xs - 1.0, 0.0)
    psi = special.digamma
    beta_ab = special.betaln(a, b)
    psi_ab = psi(a + b)
    psi_abx = psi(a + b + xs)
    # Per distinct x: ln Γ(r+x) − ln Γ(r), the beta terms and their derivatives.
    g_r = special.gammaln(r + xs) - special.gammaln(r)
    b2 = special.betaln(a, b + xs) - beta_ab
    b3 = np.where(repeat_s, special.betaln(a + 1.0, b + xs1) - beta_ab, -np.inf)
    dg_r = psi(r + xs) - psi(r)
    db2_a = psi_ab - psi_abx
    db2_b = psi(b + xs) - psi(b) + psi_ab - psi_abx
    db3_a = psi(a + 1.0) - psi(a) + psi_ab - psi_abx
    db3_b = np.where(repeat_s, psi(b + xs1) - psi(b) + psi_ab - psi_abx, 0.0)

    log_aT = np.log(alpha + T)
    log_at = np.log(alpha + t_x)
    a1 = g_r[xi] + r * np.log(alpha)
    a2 = b2[xi] - (r + x) * log_aT
    a3 = b3[xi] - (r + x) * log_at
    lse = np.logaddexp(a2, a3)
    w2 = np.exp(a2 - lse)
    w3 = np.exp(a3 - lse)
    d_r = dg_r[xi] + np.log(alpha) - w2 * log_aT - w3 * log_at
    d_alpha = r / alpha - (r + x) * (w2 / (alpha + T) + w3 / (alpha + t_x))
    d_a = w2 * db2_a[xi] + w3 * db3_a[xi]
    d_b = w2 * db2_b[xi] + w3 * db3_b[xi]
    total = w.sum()
    value = -float((w * (a1 + lse)).sum()) / total
    grad = np.array([(w * g).sum() for g in (d_r, d_alpha, d_a, d_b)]) / total
    # d/d(ln θ) = θ · d/dθ
    return value, -grad * np.array([r, alpha, a, b])


def fit_bgnbd(
    x: npt.ArrayLike,
    t_x: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    start: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0),
) -> BgNbdFit:
    """Maximum-likelihood BG/NBD parameters. Raises ValueError on empty or impossible data."""
    x_a = np.asarray(x, dtype=np.float64)
    t_a = np.asarray(t_x, dtype=np.float64)
    T_a = np.asarray(T, dtype=np.float64)
    if x_a.size == 0:
        raise ValueError("no clients to fit")
    if (x_a < 0).any() or (t_a < 0).any() or (t_a > T_a).any():
        raise ValueError("need 0 <= x and 0 <= t_x <= T")
    (xu, tu, Tu), weights = compress(x_a, t_a, T_a)
    xs, xi = np.unique(xu, return_inverse=True)
    result = optimize.minimize(
        _objective,
        np.log(np.asarray(start, dtype=np.float64)),
        args=(xu, tu, Tu, weights, xs, xi),
        jac=True,
        method="L-BFGS-B",
        # ln-parameters within e^±12: keeps the special functions finite on degenerate data.
        bounds=[(-12.0, 12.0)] * 4,
        options={"ftol": 1e-13, "gtol": 1e-9, "maxiter": 500},
    )
    r, alpha, a, b = (float(v) for v in np.exp(result.x))
    return BgNbdFit(
        params=BgNbdParams(r=r, alpha=alpha, a=a, b=b),
        log_likelihood=-float(result.fun) * float(weights.sum()),
        n=int(x_a.size),
        distinct=int(xu.size),
        converged=bool(result.success) and bool(np.isfinite(result.fun)),
        iterations=int(result.nit),
    )


def p_alive(params: BgNbdParams, x: FloatArray, t_x: FloatArray, T: FloatArray) -> FloatArray:
    """P(still active | x, t_x, T) (eq. 11): 1 for a client with no repeat purchase."""
    r, alpha, a, b = params.as_tuple()
    x = np.asarray(x, dtype=np.float64)
    repeat = x > 0
    # ln[a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)], computed in logs (the power overflows otherwise).
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = (
            np.log(a)
            - np.log(np.where(repeat, b + x - 1.0, 1.0))
            + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        )
    return np.where(repeat, special.expit(-log_odds), 1.0)


def expected_purchases(
    params: BgNbdParams, t: float, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> FloatArray:
    """E[purchases in the next t weeks | x, t_x, T] (eq. 10)."""
    r, alpha, a, b = params.as_tuple()
    x = np.asarray(x, dtype=np.float64)
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1.0, t / (alpha + T + t))
    head = (a + b + x - 1.0) / (a - 1.0)
    bracket = 1.0 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
    alive = p_alive(params, x, t_x, T)
    return head * bracket * alive


def rate_if_alive(params: BgNbdParams, x: FloatArray, T: FloatArray) -> FloatArray:
    """E[λ | x, T, still active] = (r + x) / (α + T): purchases per week of an active client."""
    return (params.r + np.asarray(x, dtype=np.float64)) / (params.alpha + np.asarray(T))
