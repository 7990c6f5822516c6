"""The plain words for a client's health reasons, in the reader's language.

Reasons are stored as codes with parameters (scoring.py) and worded here when a page or the
API shows them, so the same score reads in Ukrainian, Russian or English.
"""

import datetime
from typing import Any

from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

NO_PURCHASES = gettext_lazy("No purchases yet, so no health score.")
NOT_ENOUGH_HISTORY = gettext_lazy(
    "Not enough history: too few clients have bought more than once to fit the model."
)
SURVEY_KINDS = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


def _int(reason: dict[str, Any], key: str) -> int:
    try:
        return int(reason.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def explain_reason(reason: dict[str, Any], *, now: datetime.datetime | None = None) -> str:
    code = reason.get("code")
    if code == "rhythm":
        days, usual = _int(reason, "days"), _int(reason, "usual")
        if days > usual:
            return _("no purchase for %(days)s days, usually every %(usual)s") % {
                "days": days,
                "usual": usual,
            }
        return _("last purchase %(days)s days ago, usually every %(usual)s") % {
            "days": days,
            "usual": usual,
        }
    if code == "one_purchase":
        days, usual = _int(reason, "days"), _int(reason, "usual")
        if usual:
            return _(
                "one purchase, %(days)s days ago; clients usually buy again within %(usual)s days"
            ) % {"days": days, "usual": usual}
        return _("one purchase, %(days)s days ago") % {"days": days}
    if code == "p_alive":
        return _("%(percent)s%% likely still a client") % {"percent": _int(reason, "percent")}
    if code == "complaints":
        open_count, overdue = _int(reason, "open"), _int(reason, "overdue")
        text = ngettext("%(count)s open complaint", "%(count)s open complaints", open_count) % {
            "count": open_count
        }
        if overdue:
            text += " " + ngettext("(%(count)s overdue)", "(%(count)s overdue)", overdue) % {
                "count": overdue
            }
        return text
    if code == "survey":
        kind = str(reason.get("kind") or "")
        label = SURVEY_KINDS.get(kind, kind.upper())
        try:
            on = datetime.date.fromisoformat(str(reason.get("on")))
        except ValueError:
            return _("%(kind)s %(score)s") % {"kind": label, "score": _int(reason, "score")}
        moment = datetime.datetime.combine(on, datetime.time(12), tzinfo=datetime.UTC)
        return _("%(kind)s %(score)s, %(ago)s ago") % {
            "kind": label,
            "score": _int(reason, "score"),
            "ago": timesince(moment, now, depth=1),
        }
    if code == "no_contact":
        return _("no contact for %(days)s days") % {"days": _int(reason, "days")}
    return str(code)


def explain(reasons: list[dict[str, Any]], *, now: datetime.datetime | None = None) -> str:
    """All reasons in one line: "no purchase for 140 days, usually every 45; NPS 4, 1 month ago"."""
    return "; ".join(explain_reason(reason, now=now) for reason in reasons)
