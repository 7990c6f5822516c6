from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _everyone(user: Any) -> bool:
    return True


def _workers(user: Any) -> bool:
    return bool(user.can_write)


def _admins(user: Any) -> bool:
    return bool(user.is_admin)


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: Promise
    prefixes: tuple[str, ...]  # a page under one of these marks the entry current
    shown_to: Callable[[Any], bool] = _everyone


# The main navigation, in the order of a working day: what to do, whom to sell to, whom to
# serve, how the team is doing.
NAVIGATION = [
    NavEntry("home", _("Dashboard"), ("/",)),
    NavEntry("activities:my_day", _("My day"), ("/my-day/", "/activities/")),
    NavEntry("sales:board", _("Deals"), ("/deals/",)),
    NavEntry("contacts:list", _("Contacts"), ("/contacts/",)),
    NavEntry("contacts:company_list", _("Companies"), ("/companies/",)),
    NavEntry("activities:task_list", _("Tasks"), ("/tasks/",)),
    NavEntry("sales:purchase_list", _("Purchases"), ("/purchases/",)),
    NavEntry("occasions:agenda", _("Occasions"), ("/occasions/",)),
    NavEntry(
        "retain",
        _("Retain"),
        ("/retain/", "/complaints/", "/surveys/", "/health/", "/experiments/", "/discounts/"),
    ),
    NavEntry("insights:workload", _("Workload"), ("/workload/", "/handover/"), _workers),
    NavEntry("contacts:trash", _("Trash"), ("/trash/",)),
    # Users, teams, custom fields, tags and firm settings are kept in Django's admin pages;
    # pipelines and lost reasons have pages of their own under /settings/.
    NavEntry("admin:index", _("Administration"), ("/admin/", "/settings/pipelines/"), _admins),
]


def _current(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p if p == "/" else path.startswith(p) for p in prefixes)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = [
        {
            "url": reverse(entry.url_name),
            "label": entry.label,
            "current": _current(request.path, entry.prefixes),
        }
        for entry in NAVIGATION
        if entry.shown_to(user)
    ]
    return {"navigation": items}
