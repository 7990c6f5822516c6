"""The statistics of client health: pure numpy/scipy, no Django.

`summary` turns purchase rows into the per-client (x, t_x, T, monetary value) the models need,
`bgnbd` fits the BG/NBD model of Fader, Hardie & Lee (2005) and scores clients with it,
`gammagamma` fits the Gamma-Gamma model of spend per purchase. Time is in weeks throughout
(the published α of the CDNOW fit is in weeks).
"""

from clientela.retention.health.fitting.bgnbd import BgNbdParams, fit_bgnbd
from clientela.retention.health.fitting.gammagamma import GammaGammaParams, fit_gamma_gamma
from clientela.retention.health.fitting.summary import RfmSummary, rfm_summary

__all__ = [
    "BgNbdParams",
    "GammaGammaParams",
    "RfmSummary",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "rfm_summary",
]
