"""The timeline panel on contact, company and deal pages."""

from clientela.activities.views.timeline import timeline_panel_context
from clientela.core.extensions import Panel, register_panel

# After the shorter panels (deals, purchases): the story is the longest thing on the page.
TIMELINE_ORDER = 100


def register() -> None:
    register_panel(
        Panel(
            key="timeline",
            targets=frozenset({"contact", "company", "deal"}),
            order=TIMELINE_ORDER,
            template="activities/_timeline_panel.html",
            context=timeline_panel_context,
        )
    )
