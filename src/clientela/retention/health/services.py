"""Refit the health models and rescore every client: the nightly job and "recompute now".

Who is a client: a contact (not in the trash) with at least one purchase dated up to today.
Purchases of a company with no contact on them are left out: health is per person.

Several currencies: purchase *rhythm* (BG/NBD) is fitted on every purchase whatever its
currency; *value* (Gamma-Gamma) is fitted per currency on the purchases in that currency,
for each currency with enough repeat buyers. A client's currency is the one most of their
purchases are in (ties: the latest purchase's); their expected value per purchase and value
at stake are in it. A client whose currency has no Gamma-Gamma fit gets no value at stake.

Value at stake = expected value per purchase × the purchases the client would make in the
next 52 weeks if still active ((r + x) / (α + T) per week) × (1 − staying), where staying
is P(alive) times the rhythm factor (scoring.py): what the firm stands to lose in a year,
weighted by how likely the client has already gone.

Not enough history: fewer repeat buyers than `HealthSettings.min_repeat_buyers`, or a fit
that does not converge → every client's health says "not enough history", with no numbers.

Costs a fixed number of queries whatever the number of clients (reads in chunks of 900 ids,
writes with one upsert per batch), plus the playbook tasks of clients who just entered
the at-risk list.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from clientela.accounts.models import User
from clientela.core.audit import audit_record
from clientela.retention.health.client_signals import client_signals
from clientela.retention.health.fitting import bgnbd, gammagamma
from clientela.retention.health.fitting.summary import RfmSummary, rfm_summary
from clientela.retention.health.models import (
    ClientHealth,
    FitModel,
    HealthFit,
    HealthSettings,
    HealthStatus,
)
from clientela.retention.health.scoring import level_of, score_client, staying
from clientela.sales.models import Purchase

logger = logging.getLogger(__name__)

HORIZON_DAYS = 90
STAKE_WEEKS = 52
CENT = Decimal("0.01")
BATCH = 500


@dataclass(frozen=True)
class RecomputeResult:
    clients: int
    enough_history: bool
    at_risk: int
    entered_risk: list[int]  # contact ids that entered the at-risk list in this run
    tasks: int


def _money(value: float) -> Decimal | None:
    if not np.isfinite(value):
        return None
    return Decimal(str(round(float(value), 2))).quantize(CENT)


def _purchase_rows(today: datetime.date) -> list[tuple[int, datetime.date, Decimal, str]]:
    return list(
        Purchase.objects.filter(
            contact__isnull=False, contact__deleted_at__isnull=True, date__lte=today
        ).values_list("contact_id", "date", "amount", "currency")
    )


def _save_fit(
    *,
    model: str,
    currency: str,
    params: dict[str, float],
    n: int,
    repeat_buyers: int,
    log_likelihood: float | None,
    converged: bool,
    enough: bool,
    today: datetime.date,
    now: datetime.datetime,
) -> HealthFit:
    fit, _created = HealthFit.objects.update_or_create(
        model=model,
        currency=currency,
        defaults={
            "params": params,
            "n": n,
            "repeat_buyers": repeat_buyers,
            "log_likelihood": log_likelihood,
            "converged": converged,
            "enough_history": enough,
            "calibration_end": today,
            "fitted_at": now,
        },
    )
    return fit


def _fit_rhythm(
    summary: RfmSummary, *, need: int, today: datetime.date, now: datetime.datetime
) -> bgnbd.BgNbdParams | None:
    repeat = int((summary.x > 0).sum())
    result: bgnbd.BgNbdFit | None = None
    if repeat >= need:
        try:
            result = bgnbd.fit_bgnbd(summary.x, summary.t_x, summary.T)
        except ValueError:
            result = None
    # A fit may stop at the bounds of its parameters (clients too alike: the limit of a
    # gamma or beta mixture with no spread); it still scores sensibly, so a finite
    # likelihood is enough. `converged` records what the optimiser said.
    enough = result is not None and bool(np.isfinite(result.log_likelihood))
    _save_fit(
        model=FitModel.BGNBD,
        currency="",
        params={} if result is None else vars(result.params),
        n=len(summary),
        repeat_buyers=repeat,
        log_likelihood=None if result is None else result.log_likelihood,
        converged=bool(result and result.converged),
        enough=enough,
        today=today,
        now=now,
    )
    if not enough:
        # Values are not computed without a rhythm fit: their fits are stale.
        HealthFit.objects.filter(model=FitModel.GAMMA_GAMMA).update(enough_history=False)
    return result.params if enough and result is not None else None


def _fit_value(
    summary: RfmSummary,
    currency: str,
    *,
    need: int,
    today: datetime.date,
    now: datetime.datetime,
) -> gammagamma.GammaGammaParams | None:
    buyers = (summary.x > 0) & (summary.monetary > 0)
    repeat = int(buyers.sum())
    result: gammagamma.GammaGammaFit | None = None
    if repeat >= need:
        try:
            result = gammagamma.fit_gamma_gamma(summary.x, summary.monetary)
        except ValueError:
            result = None
    # With q ≤ 1 the population mean spend does not exist, so one-time buyers get no value,
    # but repeat buyers still do (see expected_value_per_purchase).
    enough = result is not None and bool(np.isfinite(result.log_likelihood))
    _save_fit(
        model=FitModel.GAMMA_GAMMA,
        currency=currency,
        params={} if result is None else vars(result.params),
        n=repeat,
        repeat_buyers=repeat,
        log_likelihood=None if result is None else result.log_likelihood,
        converged=bool(result and result.converged),
        enough=enough,
        today=today,
        now=now,
    )
    return result.params if enough and result is not None else None


def _client_currencies(rows: list[tuple[int, datetime.date, Decimal, str]]) -> dict[int, str]:
    """The currency most of a client's purchases are in; ties go to the latest purchase's."""
    counts: dict[int, Counter[str]] = {}
    latest: dict[int, tuple[datetime.date, str]] = {}
    for contact_id, day, _amount, currency in rows:
        counts.setdefault(contact_id, Counter())[currency] += 1
        if contact_id not in latest or day >= latest[contact_id][0]:
            latest[contact_id] = (day, currency)
    chosen: dict[int, str] = {}
    for contact_id, counter in counts.items():
        top = max(counter.values())
        tied = {c for c, n in counter.items() if n == top}
        last = latest[contact_id][1]
        chosen[contact_id] = last if last in tied else sorted(tied)[0]
    return chosen


def _expected_values(
    rows: list[tuple[int, datetime.date, Decimal, str]],
    currencies: dict[int, str],
    *,
    need: int,
    today: datetime.date,
    now: datetime.datetime,
) -> dict[int, float]:
    """Each client's expected value per purchase in their currency (absent: no usable fit)."""
    values: dict[int, float] = {}
    end = today.toordinal()
    seen = sorted({row[3] for row in rows})
    HealthFit.objects.filter(model=FitModel.GAMMA_GAMMA).exclude(currency__in=seen).delete()
    for currency in seen:
        picked = [row for row in rows if row[3] == currency]
        summary = rfm_summary(
            [r[0] for r in picked],
            [r[1].toordinal() for r in picked],
            [float(r[2]) for r in picked],
            end_day=end,
        )
        params = _fit_value(summary, currency, need=need, today=today, now=now)
        if params is None:
            continue
        expected = gammagamma.expected_value_per_purchase(params, summary.x, summary.monetary)
        for contact_id, value in zip(summary.client.tolist(), expected.tolist(), strict=True):
            if currencies.get(contact_id) == currency and np.isfinite(value):
                values[contact_id] = value
    return values


def _usual_interval_days(summary: RfmSummary) -> float:
    """The firm's median days between purchases among repeat buyers (for one-time buyers)."""
    repeat = summary.x > 0
    if not repeat.any():
        return 0.0
    return float(np.median(summary.t_x[repeat] * 7.0 / summary.x[repeat]))


@transaction.atomic
def health_recompute(
    *, now: datetime.datetime | None = None, actor: User | None = None
) -> RecomputeResult:
    """Refit the models on every purchase up to today and rewrite every client's health.

    Idempotent: a second run on the same data writes the same numbers and creates no task
    twice (a client's entry into the at-risk list keeps its moment until they leave it).
    All or nothing: one transaction.
    """
    from clientela.retention.health.services_playbooks import playbooks_apply

    now = now or timezone.now()
    today = timezone.localdate(now)
    config = HealthSettings.current()
    rows = _purchase_rows(today)
    summary = rfm_summary(
        [r[0] for r in rows],
        [r[1].toordinal() for r in rows],
        np.zeros(len(rows)),
        end_day=today.toordinal(),
    )
    rhythm_params = _fit_rhythm(summary, need=config.min_repeat_buyers, today=today, now=now)
    currencies = _client_currencies(rows)
    values: dict[int, float] = {}
    if rhythm_params is not None:
        values = _expected_values(
            rows, currencies, need=config.min_repeat_buyers, today=today, now=now
        )

    ids = summary.client.tolist()
    existing = ClientHealth.objects.in_bulk(ids)
    _delete_stale(set(ids))

    records: list[ClientHealth] = []
    entered: list[int] = []
    if rhythm_params is None:
        for i, contact_id in enumerate(ids):
            records.append(_base_record(existing.get(contact_id), contact_id, summary, i, now))
    else:
        records, entered = _score_all(
            summary, rhythm_params, values, currencies, existing, config, today, now
        )
    # One upsert keyed by the contact (the primary key): bulk_update writes a CASE per field
    # and row, which took minutes for 20,000 clients on SQLite.
    ClientHealth.objects.bulk_create(
        records,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["contact"],
        update_fields=UPDATED_FIELDS,
    )
    tasks = playbooks_apply(contact_ids=entered, now=now)
    at_risk = sum(1 for r in records if r.level == "at_risk")
    if actor is not None:
        fit = HealthFit.objects.get(model=FitModel.BGNBD, currency="")
        audit_record(
            actor=actor, action="update", obj=fit, changes={"recomputed": [None, len(ids)]}
        )
    logger.info("health: %s clients, %s at risk, %s entered", len(ids), at_risk, len(entered))
    return RecomputeResult(
        clients=len(ids),
        enough_history=rhythm_params is not None,
        at_risk=at_risk,
        entered_risk=entered,
        tasks=tasks,
    )


UPDATED_FIELDS = [
    "status",
    "purchases",
    "first_purchase",
    "last_purchase",
    "p_alive",
    "expected_purchases",
    "currency",
    "expected_value",
    "value_at_stake",
    "score",
    "level",
    "reasons",
    "computed_at",
    "entered_risk_at",
]


def _delete_stale(ids: set[int]) -> None:
    """Drop the health of contacts who no longer have purchases (trashed, moved away)."""
    stale = [
        pk for pk in ClientHealth.objects.values_list("contact_id", flat=True) if pk not in ids
    ]
    for start in range(0, len(stale), 900):
        ClientHealth.objects.filter(contact_id__in=stale[start : start + 900]).delete()


def _base_record(
    previous: ClientHealth | None,
    contact_id: int,
    summary: RfmSummary,
    i: int,
    now: datetime.datetime,
) -> ClientHealth:
    record = previous or ClientHealth(contact_id=contact_id)
    record.status = HealthStatus.NOT_ENOUGH_HISTORY
    record.purchases = int(summary.x[i]) + 1
    record.first_purchase = datetime.date.fromordinal(int(summary.first_day[i]))
    record.last_purchase = datetime.date.fromordinal(int(summary.last_day[i]))
    record.p_alive = None
    record.expected_purchases = None
    record.currency = ""
    record.expected_value = None
    record.value_at_stake = None
    record.score = None
    record.level = ""
    record.reasons = []
    record.computed_at = now
    record.entered_risk_at = None
    return record


def _score_all(
    summary: RfmSummary,
    params: bgnbd.BgNbdParams,
    values: dict[int, float],
    currencies: dict[int, str],
    existing: dict[Any, ClientHealth],
    config: HealthSettings,
    today: datetime.date,
    now: datetime.datetime,
) -> tuple[list[ClientHealth], list[int]]:
    alive = bgnbd.p_alive(params, summary.x, summary.t_x, summary.T)
    expected = bgnbd.expected_purchases(
        params, HORIZON_DAYS / 7.0, summary.x, summary.t_x, summary.T
    )
    weekly = bgnbd.rate_if_alive(params, summary.x, summary.T)
    firm_usual = _usual_interval_days(summary)
    ids = summary.client.tolist()
    signals = client_signals(ids)
    records: list[ClientHealth] = []
    entered: list[int] = []
    for i, contact_id in enumerate(ids):
        previous_entry = existing[contact_id].entered_risk_at if contact_id in existing else None
        record = _base_record(existing.get(contact_id), contact_id, summary, i, now)
        x = int(summary.x[i])
        usual = float(summary.t_x[i]) * 7.0 / x if x > 0 else firm_usual
        days_since = (today - record.last_purchase).days if record.last_purchase else 0
        score, reasons = score_client(
            p_alive=float(alive[i]),
            repeat_purchases=x,
            days_since_last=days_since,
            usual_days=usual,
            signals=signals[contact_id],
            today=today,
        )
        record.status = HealthStatus.SCORED
        record.p_alive = float(alive[i])
        record.expected_purchases = float(expected[i])
        record.currency = currencies.get(contact_id, "")
        value = values.get(contact_id)
        if value is not None:
            record.expected_value = _money(value)
            gone = 1.0 - staying(float(alive[i]), days_since, usual)
            record.value_at_stake = _money(value * float(weekly[i]) * STAKE_WEEKS * gone)
        record.score = score
        record.level = level_of(score, config.threshold)
        record.reasons = reasons
        if record.level == "at_risk":
            record.entered_risk_at = previous_entry or now
            if previous_entry is None:
                entered.append(contact_id)
        records.append(record)
    return records, entered
