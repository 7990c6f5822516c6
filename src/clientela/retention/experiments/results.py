"""An experiment's results: counts per arm in SQL, then the statistics of stats.py.

The outcome of a client is read from the purchases, never stored: a client is retained when a
purchase of theirs (any not in the trash, whoever may see it) is dated after the
day they were assigned and no later than `window_ends_on` (the assignment day + N days: day N
counts, day N + 1 does not). A purchase dated on the assignment day itself does not count: it
may well have come before the gesture. Only clients whose window has ended are compared;
the others are "still in the window" and counted apart, so a half-run experiment never shows
a rate inflated by the early buyers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientela.retention.experiments import stats
from clientela.retention.experiments.models import Arm, Assignment, Experiment, SendSkipped
from clientela.sales.models import Purchase

CONFIDENCE = 0.95
ALPHA = 1 - CONFIDENCE
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ArmCounts:
    assigned: int = 0
    n: int = 0  # clients whose window has ended
    retained: int = 0  # of those, how many bought within it
    pending: int = 0  # still in the window
    # An arm with a greeting email: how many clients were sent it, and why the others were not.
    # They all count above (intention to treat).
    sent: int = 0
    no_email: int = 0
    no_consent: int = 0

    @property
    def not_sent(self) -> int:
        return self.no_email + self.no_consent


def arm_counts(experiments: Iterable[Experiment]) -> dict[int, ArmCounts]:
    """{arm id: counts} for the experiments: one grouped query, whatever the number of
    clients and experiments. Whether a client bought is a fact about the client: every
    purchase not in the trash counts, whoever may see it (the results themselves are shown
    only to those who see the experiment)."""
    today = timezone.localdate()
    experiment_ids = [experiment.pk for experiment in experiments]
    counts: dict[int, ArmCounts] = {}
    if not experiment_ids:
        return counts
    bought = Purchase.objects.filter(
        contact_id=OuterRef("contact_id"),
        date__gt=OuterRef("assigned_on"),
        date__lte=OuterRef("window_ends_on"),
    )
    ended = Q(window_ends_on__lt=today)
    rows = (
        Assignment.objects.filter(experiment_id__in=experiment_ids)
        .values("arm_id")
        .annotate(
            assigned=Count("id"),
            n=Count("id", filter=ended),
            retained=Count("id", filter=ended & Q(Exists(bought))),
            pending=Count("id", filter=~ended),
            sent=Count("id", filter=Q(sent_greeting__isnull=False)),
            no_email=Count("id", filter=Q(send_skipped=SendSkipped.NO_EMAIL)),
            no_consent=Count("id", filter=Q(send_skipped=SendSkipped.NO_CONSENT)),
        )
        .order_by("arm_id")
    )
    for row in rows:
        counts[row["arm_id"]] = ArmCounts(
            row["assigned"],
            row["n"],
            row["retained"],
            row["pending"],
            row["sent"],
            row["no_email"],
            row["no_consent"],
        )
    return counts


def best_arm(arms: list[Arm], counts: dict[int, ArmCounts | None]) -> Arm | None:
    """The arm with the highest retention so far; None while no window has ended or on a tie."""
    rated = [
        (c.retained / c.n, arm) for arm in arms if (c := counts.get(arm.pk)) is not None and c.n
    ]
    if not rated:
        return None
    rated.sort(key=lambda pair: pair[0], reverse=True)
    if len(rated) > 1 and rated[0][0] == rated[1][0]:
        return None
    return rated[0][1]


@dataclass
class Versus:
    """A treatment arm against the control."""

    difference: float
    interval: stats.Interval
    p_value: float
    test: str  # "z" or "fisher"
    p_adjusted: float
    significant: bool = False
    verdict: str = ""

    @property
    def percent(self) -> tuple[float, float, float]:
        """The difference and its interval in percentage points."""
        return (100 * self.difference, 100 * self.interval.low, 100 * self.interval.high)

    @property
    def test_label(self) -> str:
        if self.test == "fisher":
            return _("Fisher's exact test")
        return _("two-proportion z-test")


@dataclass
class ArmResult:
    arm: Arm
    counts: ArmCounts
    rate: float | None
    interval: stats.Interval | None
    cost_total: Decimal
    cost_per_retained: Decimal | None = None
    cost_per_extra: Decimal | None = None
    versus: Versus | None = None

    @property
    def percent(self) -> tuple[float, float, float] | None:
        """The rate and its interval in per cent."""
        if self.rate is None or self.interval is None:
            return None
        return (100 * self.rate, 100 * self.interval.low, 100 * self.interval.high)


@dataclass
class Results:
    arms: list[ArmResult]
    control: ArmResult | None
    verdict: str
    more_needed: int | None = None  # clients per arm still needed, when that is the verdict
    adjusted: bool = False  # Holm-adjusted (several treatments)
    pending: int = 0
    assigned: int = 0
    balance: list[dict] = field(default_factory=list)

    @property
    def emails(self) -> list[ArmResult]:
        """The started arms that send a greeting email, for their sent / not sent counts."""
        if not self.assigned:
            return []
        return [row for row in self.arms if row.arm.greeting_template_id is not None]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _arm_result(arm: Arm, counts: ArmCounts) -> ArmResult:
    rate = counts.retained / counts.n if counts.n else None
    result = ArmResult(
        arm=arm,
        counts=counts,
        rate=rate,
        interval=stats.wilson_interval(counts.retained, counts.n, CONFIDENCE) if counts.n else None,
        cost_total=_money(arm.cost * counts.assigned),
    )
    if counts.retained:
        result.cost_per_retained = _money(arm.cost * counts.n / counts.retained)
    return result


def _verdict(treatment: ArmResult, control: ArmResult, versus: Versus) -> tuple[str, int | None]:
    names = {"arm": treatment.arm.name, "control": control.arm.name}
    if versus.significant and versus.difference > 0:
        return _("%(arm)s keeps more clients than %(control)s (95 %% confidence).") % names, None
    if versus.significant:
        return _("%(arm)s keeps fewer clients than %(control)s (95 %% confidence).") % names, None
    needed = stats.sample_size_per_arm(treatment.rate or 0.0, control.rate or 0.0)
    have = min(treatment.counts.n, control.counts.n)
    if needed is not None and needed > have:
        more = needed - have
        text = ngettext(
            "Not enough data yet: about %(count)d more client per arm needed.",
            "Not enough data yet: about %(count)d more clients per arm needed.",
            more,
        ) % {"count": more}
        return text, more
    if needed is None:
        return (
            _("No difference shown: %(arm)s and %(control)s keep clients equally so far.") % names,
            None,
        )
    return (
        _("No difference shown between %(arm)s and %(control)s: the gap could well be chance.")
        % names,
        None,
    )


def experiment_results(experiment: Experiment) -> Results:
    """Per-arm rates with Wilson intervals, costs, and each treatment against the control
    (Newcombe interval, z or exact test, Holm-adjusted when there are several), with a
    verdict in a sentence. Two queries: the counts and the per-owner balance."""
    arms = list(experiment.arms.all())
    counts = arm_counts([experiment]) if experiment.status != Experiment.Status.DRAFT else {}
    results = [_arm_result(arm, counts.get(arm.pk, ArmCounts())) for arm in arms]
    control = next((r for r in results if r.arm.is_control), None)
    assigned = sum(r.counts.assigned for r in results)
    pending = sum(r.counts.pending for r in results)
    outcome = Results(arms=results, control=control, verdict="", assigned=assigned, pending=pending)
    if assigned:
        outcome.balance = _balance(experiment, arms)
    if control is None or not assigned:
        outcome.verdict = _("Not started yet: no client has been assigned.")
        return outcome
    compared = [r for r in results if r is not control and r.counts.n and control.counts.n]
    if not compared:
        outcome.verdict = _(
            "Not enough data yet: no client's window has ended; wait for the first results."
        )
        return outcome
    raw = [
        stats.compare(r.counts.retained, r.counts.n, control.counts.retained, control.counts.n)
        for r in compared
    ]
    adjusted = stats.holm_adjust([c.p_value for c in raw])
    outcome.adjusted = len(compared) > 1
    for result, comparison, p_adjusted in zip(compared, raw, adjusted, strict=True):
        versus = Versus(
            difference=comparison.difference,
            interval=comparison.interval,
            p_value=comparison.p_value,
            test=comparison.test,
            p_adjusted=p_adjusted,
            significant=p_adjusted < ALPHA,
        )
        versus.verdict, _more = _verdict(result, control, versus)
        result.versus = versus
        extra = comparison.difference
        if extra > 0 and result.arm.currency == control.arm.currency:
            result.cost_per_extra = _money((result.arm.cost - control.arm.cost) / Decimal(extra))
    outcome.verdict, outcome.more_needed = _headline(compared, control)
    return outcome


def _headline(compared: list[ArmResult], control: ArmResult) -> tuple[str, int | None]:
    """The one sentence on top: a significant winner first, else a significant loser, else the
    treatment furthest from the control says how much data is still needed."""

    def gap(result: ArmResult) -> float:
        return result.versus.difference if result.versus else 0.0

    winners = [r for r in compared if r.versus and r.versus.significant and gap(r) > 0]
    if winners:
        best = max(winners, key=gap)
        return _verdict(best, control, best.versus)  # type: ignore[arg-type]
    losers = [r for r in compared if r.versus and r.versus.significant]
    if losers:
        worst = min(losers, key=gap)
        return _verdict(worst, control, worst.versus)  # type: ignore[arg-type]
    furthest = max(compared, key=lambda r: abs(gap(r)))
    return _verdict(furthest, control, furthest.versus)  # type: ignore[arg-type]


def _balance(experiment: Experiment, arms: list[Arm]) -> list[dict]:
    """Clients per owner and arm (the strata), owners by name: one query."""
    rows = (
        Assignment.objects.filter(experiment=experiment)
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__username", "arm_id")
        .annotate(count=Count("id"))
        .order_by("owner__last_name", "owner__first_name", "owner_id", "arm_id")
    )
    owners: dict[int, dict] = {}
    for row in rows:
        name = f"{row['owner__first_name']} {row['owner__last_name']}".strip()
        entry = owners.setdefault(
            row["owner_id"], {"owner": name or row["owner__username"], "per_arm": {}}
        )
        entry["per_arm"][row["arm_id"]] = row["count"]
    return [
        {"owner": entry["owner"], "counts": [entry["per_arm"].get(arm.pk, 0) for arm in arms]}
        for entry in owners.values()
    ]
