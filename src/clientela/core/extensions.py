"""Places on a page that higher apps fill: panels, actions, search and trash sections.

A lower app's page cannot import the apps above it (DESIGN.md), yet a contact's page shows
its deals, purchases and timeline, and the search page finds deals. The page names a *target*
("contact", "company", "deal", "purchase", "contact_row", "company_row"); the apps above
register what they add to it in their AppConfig.ready, and the page renders whatever is
registered, in order.

    register_panel(Panel(key="deals", targets={"contact", "company"}, order=20,
                         template="sales/_client_deals.html", context=client_deals))
    register_action(Action(key="log_call", targets={"contact", "contact_row"}, order=10,
                           label=_("Log a call"), url_name="activities:call_new",
                           param="contact"))
    register_search_section(SearchSection(key="deals", order=30, title=_("Deals"),
                                          template="sales/_search_deals.html", find=...))
    register_trash_section(TrashSection(key="deals", order=30, title=_("Deals"),
                                        items=trash_deals, url_restore="sales:deal_restore"))

A panel's `context(request, record)` returns the panel's data (given to its template as
`data`) or None to leave the panel out; it must cost a bounded number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Panel:
    key: str
    targets: frozenset[str]
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Action:
    key: str
    targets: frozenset[str]
    order: int
    label: Promise | str
    url_name: str
    param: str  # the query parameter that carries the record's id: "contact", "deal", ...
    needs_write: bool = True  # hidden from a read-only user


@dataclass(frozen=True)
class SearchSection:
    key: str
    order: int
    title: Promise | str
    template: str  # rendered with `items` and `search_query`
    find: Callable[[Any, str, int], list[Any]]  # (user, text, limit) -> visible matches
    live_template: str = ""  # the short form under the search box; "" keeps it off there


@dataclass(frozen=True)
class TrashSection:
    key: str
    order: int
    title: Promise | str
    items: Callable[[Any], list[Any]]  # (user) -> the trashed records the user may restore
    url_restore: str  # a URL name taking the record's pk; POST restores


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    data: dict[str, Any]


@dataclass(frozen=True)
class ActionLink:
    key: str
    label: Promise | str
    url: str


@dataclass(frozen=True)
class FoundSection:
    key: str
    title: Promise | str
    template: str
    live_template: str
    items: list[Any] = field(default_factory=list)


_panels: dict[str, Panel] = {}
_actions: dict[str, Action] = {}
_sections: dict[str, SearchSection] = {}
_trash: dict[str, TrashSection] = {}


def _targets(value: Iterable[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


def register_panel(panel: Panel) -> None:
    """Add (or, under the same key, replace) a panel."""
    _panels[panel.key] = Panel(
        panel.key, _targets(panel.targets), panel.order, panel.template, panel.context
    )


def register_action(action: Action) -> None:
    """Add (or, under the same key, replace) an action."""
    _actions[action.key] = Action(
        action.key,
        _targets(action.targets),
        action.order,
        action.label,
        action.url_name,
        action.param,
        action.needs_write,
    )


def register_search_section(section: SearchSection) -> None:
    _sections[section.key] = section


def panels_for(target: str, request: HttpRequest, record: Any) -> list[RenderedPanel]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if target in panel.targets:
            data = panel.context(request, record)
            if data is not None:
                rendered.append(RenderedPanel(panel.key, panel.template, data))
    return rendered


def actions_for(target: str, user: Any, record: Any) -> list[ActionLink]:
    """The links of `target`'s actions for `record`, the ones `user` may use."""
    links = []
    for action in sorted(_actions.values(), key=lambda a: (a.order, a.key)):
        if target not in action.targets or (action.needs_write and not user.can_write):
            continue
        query = urlencode({action.param: record.pk})
        links.append(ActionLink(action.key, action.label, f"{reverse(action.url_name)}?{query}"))
    return links


def search_sections(user: Any, text: str, limit: int) -> list[FoundSection]:
    return [
        FoundSection(s.key, s.title, s.template, s.live_template, s.find(user, text, limit))
        for s in sorted(_sections.values(), key=lambda s: (s.order, s.key))
    ]


def register_trash_section(section: TrashSection) -> None:
    _trash[section.key] = section


def trash_sections(user: Any) -> list[tuple[Promise | str, list[Any], str]]:
    """(title, records, restore URL name) of every registered kind of record, in order."""
    return [
        (s.title, s.items(user), s.url_restore)
        for s in sorted(_trash.values(), key=lambda s: (s.order, s.key))
    ]
