"""From purchase rows to the recency-frequency-monetary summary of each client.

The choices that reproduce the published CDNOW fits (Fader, Hardie & Lee 2005; the BTYD
walkthrough for Gamma-Gamma) and that Clientela keeps for every firm:

- **Purchases on the same day are one transaction** (their amounts summed): the models count
  purchase occasions, and a dated purchase carries no time of day.
- **x (frequency)** = number of distinct purchase days after the first one, up to and
  including the calibration end (the end day counts).
- **t_x (recency)** = days from the first to the last purchase day, divided by 7 (fractional
  weeks); 0 when x = 0.
- **T (age)** = days from the first purchase day to the calibration end, divided by 7. For
  the CDNOW cohort ending 1997-09-30 a client who first bought on 1997-01-01 has
  T = 272 / 7 = 38.857 weeks, as in the published data.
- **Monetary value** = the mean value of the *repeat* transactions (the first purchase is
  left out, as in the Gamma-Gamma papers: it is often atypical); only for x > 0.
- Purchases after the calibration end are ignored; a client whose first purchase lies after
  it is not part of the summary.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RfmSummary:
    """One row per client, in ascending order of `client`."""

    client: IntArray  # the client ids given in the rows
    x: FloatArray  # repeat purchase days
    t_x: FloatArray  # weeks from first to last purchase
    T: FloatArray  # weeks from first purchase to the calibration end
    monetary: FloatArray  # mean value of the repeat transactions (0 where x == 0)
    first_day: IntArray  # day ordinal of the first purchase
    last_day: IntArray  # day ordinal of the last purchase (up to the calibration end)

    def __len__(self) -> int:
        return len(self.client)


def rfm_summary(
    client: npt.ArrayLike, day: npt.ArrayLike, amount: npt.ArrayLike, *, end_day: int
) -> RfmSummary:
    """Summarise purchase rows (client id, day ordinal, amount), calibration ending `end_day`.

    Vectorised: one lexsort and a few reductions, whatever the number of rows.
    """
    client_a = np.asarray(client, dtype=np.int64)
    day_a = np.asarray(day, dtype=np.int64)
    amount_a = np.asarray(amount, dtype=np.float64)
    keep = day_a <= end_day
    client_a, day_a, amount_a = client_a[keep], day_a[keep], amount_a[keep]
    if client_a.size == 0:
        empty_f = np.zeros(0, dtype=np.float64)
        empty_i = np.zeros(0, dtype=np.int64)
        return RfmSummary(empty_i, empty_f, empty_f, empty_f, empty_f, empty_i, empty_i)
    order = np.lexsort((day_a, client_a))
    client_a, day_a, amount_a = client_a[order], day_a[order], amount_a[order]

    # Same client and same day: one transaction, amounts summed.
    new_txn = np.ones(client_a.size, dtype=bool)
    new_txn[1:] = (client_a[1:] != client_a[:-1]) | (day_a[1:] != day_a[:-1])
    txn_start = np.flatnonzero(new_txn)
    txn_client = client_a[txn_start]
    txn_day = day_a[txn_start]
    txn_amount = np.add.reduceat(amount_a, txn_start)

    new_client = np.ones(txn_client.size, dtype=bool)
    new_client[1:] = txn_client[1:] != txn_client[:-1]
    client_start = np.flatnonzero(new_client)
    client_end = np.append(client_start[1:], txn_client.size) - 1
    counts = client_end - client_start + 1

    first_day = txn_day[client_start]
    last_day = txn_day[client_end]
    x = (counts - 1).astype(np.float64)
    t_x = (last_day - first_day) / 7.0
    T = (end_day - first_day) / 7.0
    # The repeat transactions' total = all transactions minus the first one.
    totals = np.add.reduceat(txn_amount, client_start)
    repeat_total = totals - txn_amount[client_start]
    monetary = np.divide(repeat_total, x, out=np.zeros_like(repeat_total), where=x > 0)
    return RfmSummary(
        client=txn_client[client_start],
        x=x,
        t_x=t_x.astype(np.float64),
        T=T.astype(np.float64),
        monetary=monetary,
        first_day=first_day,
        last_day=last_day,
    )
