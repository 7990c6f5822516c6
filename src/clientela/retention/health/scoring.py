"""The health score of one client (0–100) and the reasons behind it. Pure Python, no queries.

    base    = 100 × staying
    staying = P(alive) × (0.3 + 0.7 × rhythm)
    rhythm  = 1 while the client is within their usual interval between purchases, falling
              linearly to 0 at three times that interval (their own interval t_x / x for a
              repeat buyer; for a one-time buyer the firm's median interval of repeat buyers)
    score   = base − 8 per open complaint (at most three counted) − 7 per overdue one
                   − 15 if the last survey answer (within a year) was a detractor's
                   − 5 after 90 days without any contact, − 10 after 180
              clipped to 0–100 and rounded.

P(alive) is the model's own answer from the purchase history; the rhythm multiplies it, so
both must be good for a good score. BG/NBD assumes purchases as random as a Poisson process;
a firm whose clients buy like clockwork (a B2B supplier) may fit with almost no drop-out
(a → 0), and then P(alive) is about 1 for everyone, even for a client silent for five times
their usual interval. The rhythm still catches that client: at three times the usual interval
or more `staying` is at most 0.3, under the default threshold of 40. `staying` is also the
chance used for the value at stake. The other terms are what a manager would add: an unhappy
client, silence.

Each reason is a dict {"code": ..., parameters...}; explanations.py words it at render time.
"""

import datetime
from dataclasses import dataclass

RHYTHM_FLOOR = 0.3  # what a rhythm gone quiet leaves of P(alive)
COMPLAINT_PENALTY = 8
COMPLAINTS_COUNTED = 3
OVERDUE_COMPLAINT_PENALTY = 7
DETRACTOR_PENALTY = 15
SURVEY_RECENT_DAYS = 365
SILENCE_DAYS = (90, 180)
SILENCE_PENALTY = (5, 10)
GOOD_FROM = 70

Reason = dict[str, object]


@dataclass(frozen=True)
class SurveyAnswer:
    kind: str  # "nps", "csat", ...
    score: int
    answered_at: datetime.datetime
    is_detractor: bool


@dataclass(frozen=True)
class ClientSignals:
    """What else is known about the client beside purchases."""

    open_complaints: int = 0
    overdue_complaints: int = 0
    survey: SurveyAnswer | None = None
    last_contact: datetime.date | None = None


def rhythm(days_since: float, usual_days: float) -> float:
    """1 within the usual interval, 0 at three times it, linear in between."""
    if usual_days <= 0:
        return 1.0
    ratio = days_since / usual_days
    return max(0.0, min(1.0, 1.0 - (ratio - 1.0) / 2.0))


def staying(p_alive: float, days_since: float, usual_days: float) -> float:
    """The chance, 0–1, that the client is still a client: P(alive) times the rhythm factor."""
    return p_alive * (RHYTHM_FLOOR + (1.0 - RHYTHM_FLOOR) * rhythm(days_since, usual_days))


def score_client(
    *,
    p_alive: float,
    repeat_purchases: int,
    days_since_last: int,
    usual_days: float,
    signals: ClientSignals,
    today: datetime.date,
) -> tuple[int, list[Reason]]:
    """The score and its reasons, most telling first."""
    reasons: list[Reason] = []
    usual = max(1, round(usual_days)) if usual_days > 0 else 0
    if repeat_purchases > 0:
        reasons.append({"code": "rhythm", "days": days_since_last, "usual": usual})
    else:
        reasons.append({"code": "one_purchase", "days": days_since_last, "usual": usual})
    reasons.append({"code": "p_alive", "percent": round(100 * p_alive)})
    value = 100.0 * staying(p_alive, days_since_last, usual_days)

    if signals.open_complaints:
        value -= COMPLAINT_PENALTY * min(signals.open_complaints, COMPLAINTS_COUNTED)
        value -= OVERDUE_COMPLAINT_PENALTY * min(signals.overdue_complaints, COMPLAINTS_COUNTED)
        reasons.append(
            {
                "code": "complaints",
                "open": signals.open_complaints,
                "overdue": signals.overdue_complaints,
            }
        )
    survey = signals.survey
    if survey is not None:
        answered = survey.answered_at.date()
        if (today - answered).days <= SURVEY_RECENT_DAYS:
            if survey.is_detractor:
                value -= DETRACTOR_PENALTY
            reasons.append(
                {
                    "code": "survey",
                    "kind": survey.kind,
                    "score": survey.score,
                    "on": answered.isoformat(),
                    "detractor": survey.is_detractor,
                }
            )
    if signals.last_contact is not None:
        silent = (today - signals.last_contact).days
        for limit, penalty in zip(SILENCE_DAYS[::-1], SILENCE_PENALTY[::-1], strict=True):
            if silent > limit:
                value -= penalty
                reasons.append({"code": "no_contact", "days": silent})
                break
    return max(0, min(100, round(value))), reasons


def level_of(score: int, threshold: int) -> str:
    if score < threshold:
        return "at_risk"
    return "good" if score >= max(GOOD_FROM, threshold) else "watch"
