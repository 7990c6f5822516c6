"""Reads of client health, already scoped to what the user may see.

Value at stake (services.py): expected value per purchase × purchases in the next 52 weeks
if still active × (1 − staying; scoring.py), in the client's currency.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.http import Http404

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.health.models import (
    ClientHealth,
    FitModel,
    HealthFit,
    HealthSettings,
    HealthStatus,
    Playbook,
)


def at_risk_contacts(user: User) -> QuerySet[Contact]:
    """Contacts `user` sees whose health score is below the threshold, most at stake first.

    Each contact carries `.health` (select_related) and `.owner`.
    """
    threshold = HealthSettings.current().threshold
    return (
        Contact.objects.visible_to(user)
        .filter(health__status=HealthStatus.SCORED, health__score__lt=threshold)
        .select_related("health", "owner")
        .order_by(F("health__value_at_stake").desc(nulls_last=True), "health__score", "pk")
    )


def at_risk_filtered(
    user: User, *, owner: int | None = None, team: int | None = None
) -> QuerySet[Contact]:
    found = at_risk_contacts(user)
    if owner is not None:
        found = found.filter(owner_id=owner)
    if team is not None:
        found = found.filter(team_id=team)
    return found


def rhythm_fit() -> HealthFit | None:
    return HealthFit.objects.filter(model=FitModel.BGNBD, currency="").first()


def at_risk_summary(user: User) -> dict[str, Any]:
    """{"count", "value_at_stake": [(currency, Decimal)], "fitted_at", "enough_history"}."""
    fit = rhythm_fit()
    listed = at_risk_contacts(user)
    stakes = (
        listed.exclude(health__value_at_stake__isnull=True)
        .order_by()
        .values("health__currency")
        .annotate(total=Sum("health__value_at_stake"))
        .values_list("health__currency", "total")
    )
    return {
        "count": listed.count(),
        "value_at_stake": sorted(
            (currency, Decimal(total)) for currency, total in stakes if total is not None
        ),
        "fitted_at": fit.fitted_at if fit else None,
        "enough_history": bool(fit and fit.enough_history),
    }


@dataclass(frozen=True)
class ContactHealthView:
    contact: Contact
    health: ClientHealth | None
    fit: HealthFit | None
    threshold: int

    @property
    def enough_history(self) -> bool:
        return bool(self.fit and self.fit.enough_history)

    @property
    def scored(self) -> bool:
        return self.health is not None and self.health.status == HealthStatus.SCORED

    @property
    def at_risk(self) -> bool:
        return bool(
            self.scored
            and self.health
            and self.health.score is not None
            and self.health.score < self.threshold
        )


def contact_health(user: User, contact_id: int) -> ContactHealthView:
    """One visible contact's health; Http404 for a contact the user may not see."""
    contact = Contact.objects.visible_to(user).filter(pk=contact_id).select_related("owner").first()
    if contact is None:
        raise Http404
    return contact_health_of(contact)


def contact_health_of(contact: Contact) -> ContactHealthView:
    """For a contact already checked visible: three queries."""
    health = ClientHealth.objects.filter(contact_id=contact.pk).first()
    return ContactHealthView(
        contact=contact,
        health=health,
        fit=rhythm_fit(),
        threshold=HealthSettings.current().threshold,
    )


def fits() -> list[HealthFit]:
    return list(HealthFit.objects.order_by("model", "currency"))


def playbooks() -> list[Playbook]:
    return list(Playbook.objects.select_related("tag").prefetch_related("steps"))


def playbook_get(pk: int) -> Playbook:
    found = Playbook.objects.select_related("tag").prefetch_related("steps").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def days_since(day: datetime.date | None, today: datetime.date) -> int | None:
    return None if day is None else (today - day).days
