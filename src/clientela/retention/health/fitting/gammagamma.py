"""The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV").

A client's purchase values are Gamma(p, ν) with ν ~ Gamma(q, γ) across clients; the mean m
of a client's x repeat purchases then has the likelihood

    ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ+mx)

fitted by maximum likelihood over the clients with x > 0 and m > 0 (distinct (x, m) pairs
weighted by their number), L-BFGS-B on the log-parameters with the analytic gradient.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

from clientela.retention.health.fitting.bgnbd import compress

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.p, self.q, self.gamma)


@dataclass(frozen=True)
class GammaGammaFit:
    params: GammaGammaParams
    log_likelihood: float
    n: int
    converged: bool
    iterations: int


def log_likelihood(params: tuple[float, float, float], x: FloatArray, m: FloatArray) -> FloatArray:
    p, q, gamma = params
    px = p * x
    return (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + m * x)
    )


def _objective(
    log_params: FloatArray, x: FloatArray, m: FloatArray, w: FloatArray
) -> tuple[float, FloatArray]:
    p, q, gamma = np.exp(log_params)
    px = p * x
    ll = log_likelihood((p, q, gamma), x, m)
    psi_sum = special.digamma(px + q)
    log_gmx = np.log(gamma + m * x)
    d_p = x * (psi_sum - special.digamma(px) + np.log(m) + np.log(x) - log_gmx)
    d_q = psi_sum - special.digamma(q) + np.log(gamma) - log_gmx
    d_gamma = q / gamma - (px + q) / (gamma + m * x)
    total = w.sum()
    grad = np.array([(w * g).sum() for g in (d_p, d_q, d_gamma)]) / total
    return -float((w * ll).sum()) / total, -grad * np.array([p, q, gamma])


def fit_gamma_gamma(
    x: npt.ArrayLike, monetary: npt.ArrayLike, *, start: tuple[float, float, float] = (1, 1, 1)
) -> GammaGammaFit:
    """Maximum-likelihood p, q, γ from the repeat buyers (x > 0, monetary > 0)."""
    x_a = np.asarray(x, dtype=np.float64)
    m_a = np.asarray(monetary, dtype=np.float64)
    keep = (x_a > 0) & (m_a > 0)
    x_a, m_a = x_a[keep], m_a[keep]
    if x_a.size == 0:
        raise ValueError("no repeat buyers with a positive spend")
    (xu, mu), weights = compress(x_a, m_a)
    result = optimize.minimize(
        _objective,
        np.log(np.asarray(start, dtype=np.float64)),
        args=(xu, mu, weights),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-12.0, 12.0)] * 3,
        options={"ftol": 1e-13, "gtol": 1e-9, "maxiter": 500},
    )
    p, q, gamma = (float(v) for v in np.exp(result.x))
    return GammaGammaFit(
        params=GammaGammaParams(p=p, q=q, gamma=gamma),
        log_likelihood=-float(result.fun) * float(weights.sum()),
        n=int(x_a.size),
        converged=bool(result.success) and bool(np.isfinite(result.fun)),
        iterations=int(result.nit),
    )


def expected_value_per_purchase(
    params: GammaGammaParams, x: FloatArray, monetary: FloatArray
) -> FloatArray:
    """E[value of a purchase | x, m]: a weighted mean of the population mean and the client's.

    For x = 0 it is the population mean pγ/(q−1), which exists only for q > 1 (NaN
    otherwise). A repeat buyer's value needs only px + q − 1 > 0: a fit with q ≤ 1 (spend
    that hardly varies within a client, p at its bound) still values repeat buyers, at
    about their own mean.
    """
    p, q, gamma = params.as_tuple()
    x = np.asarray(x, dtype=np.float64)
    m = np.asarray(monetary, dtype=np.float64)
    denominator = p * x + q - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0.0, p * (gamma + x * m) / denominator, np.nan)
