"""Every read of experiments, already narrowed to what the user may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.contacts.models import Company, Contact, Lifecycle, Tag
from clientela.contacts.selectors import CONTACT_SORTS, contacts_filtered, list_filters_clean
from clientela.occasions.models import GreetingTemplate
from clientela.retention.experiments.models import Arm, Experiment
from clientela.retention.experiments.results import arm_counts, best_arm
from clientela.retention.health.selectors import at_risk_contacts

FILTER_KEYS = ("owner", "tag", "lifecycle", "company", "q")


def can_run_experiments(user: User) -> bool:
    """Team leads and administrators create, start and finish experiments; others read."""
    return user.can_write and (user.is_admin or user.role == Role.LEAD)


def experiments_visible(user: User) -> QuerySet[Experiment]:
    return Experiment.objects.visible_to(user)


def experiment_list(user: User) -> list[Experiment]:
    """The experiments the user sees, newest first, with their client counts (one query)."""
    return list(
        experiments_visible(user)
        .select_related("created_by")
        .annotate(client_count=Count("assignments"))
        .order_by("-created_at", "-id")
    )


def experiment_get(user: User, pk: Any) -> Experiment:
    """The experiment with its arms, or Http404 if the user may not see it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = (
        experiments_visible(user)
        .select_related("created_by", "started_by")
        .prefetch_related(
            Prefetch(
                "arms",
                queryset=Arm.objects.select_related("greeting_template").order_by("position", "id"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def greeting_templates_in_use() -> list[GreetingTemplate]:
    """The templates an arm may send (those in use), by occasion, language and name."""
    return list(
        GreetingTemplate.objects.filter(active=True).order_by(
            "occasion_kind", "language", "name", "id"
        )
    )


def eligible_clients(user: User, experiment: Experiment) -> QuerySet[Contact]:
    """The contacts `user` sees that match the experiment's saved filter (and are at risk, when
    the experiment asks for that). Raises ValidationError if the saved filter no longer
    parses (a tag that was deleted)."""
    params = {key: str(value) for key, value in (experiment.filters or {}).items() if value}
    filters = list_filters_clean(user, params, sorts=CONTACT_SORTS)
    clients = contacts_filtered(user, filters)
    if experiment.at_risk_only:
        clients = clients.filter(pk__in=at_risk_contacts(user).order_by().values("pk"))
    return clients


def eligible_count(user: User, experiment: Experiment) -> int:
    return eligible_clients(user, experiment).count()


@dataclass(frozen=True)
class FilterLabel:
    name: str
    value: str


def filter_labels(user: User, experiment: Experiment) -> list[FilterLabel]:
    """The saved filter as a person reads it ("Tag: VIP"), names looked up as the user sees."""
    saved = experiment.filters or {}
    labels: list[FilterLabel] = []
    if saved.get("owner"):
        if saved["owner"] == "me":
            labels.append(FilterLabel(_("Owner"), _("whoever starts it")))
        else:
            found = User.objects.filter(pk=_int(saved["owner"])).first()
            labels.append(FilterLabel(_("Owner"), str(found) if found else f"#{saved['owner']}"))
    if saved.get("tag"):
        tag = Tag.objects.filter(pk=_int(saved["tag"])).first()
        labels.append(FilterLabel(_("Tag"), tag.name if tag else f"#{saved['tag']}"))
    if saved.get("lifecycle"):
        labels.append(
            FilterLabel(_("Lifecycle"), str(dict(Lifecycle.choices).get(saved["lifecycle"], "")))
        )
    if saved.get("company"):
        company = Company.objects.visible_to(user).filter(pk=_int(saved["company"])).first()
        labels.append(
            FilterLabel(_("Company"), str(company) if company else f"#{saved['company']}")
        )
    if saved.get("q"):
        labels.append(FilterLabel(_("Name, email or phone contains"), str(saved["q"])))
    if experiment.at_risk_only:
        labels.append(FilterLabel(_("Health"), _("at-risk clients only")))
    return labels


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def running_experiments(user: User) -> list[dict[str, Any]]:
    """The running experiments the user sees, for the lead's dashboard: name, url, started_at,
    clients and the best arm so far (the highest retention among the clients whose window has
    ended; None while nobody's has). Three queries, whatever the number of experiments."""
    experiments = list(
        experiments_visible(user)
        .filter(status=Experiment.Status.RUNNING)
        .select_related("created_by")
        .prefetch_related(Prefetch("arms", queryset=Arm.objects.order_by("position", "id")))
        .order_by("-started_at", "-id")
    )
    counts = arm_counts(experiments)
    rows = []
    for experiment in experiments:
        per_arm = {arm.pk: counts.get(arm.pk) for arm in experiment.arms.all()}
        best = best_arm(list(experiment.arms.all()), per_arm)
        rows.append(
            {
                "name": experiment.name,
                "url": reverse("experiments:detail", args=[experiment.pk]),
                "started_at": experiment.started_at,
                "clients": sum(c.assigned for c in per_arm.values() if c is not None),
                "best_arm": best.name if best is not None else None,
            }
        )
    return rows
