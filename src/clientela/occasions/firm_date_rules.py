"""Firm dates that fall on a weekday of a month ("the second Sunday of August"), said in words.

Ukraine sets most professional days this way. The ordinal agrees with the weekday in Ukrainian
and Russian ("друга неділя", "второе воскресенье"), so each of the 35 combinations is a
message of its own; the month comes in the form that follows a day ("серпня", "августа").
"""

from django.utils.dates import MONTHS_ALT
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clientela.core.dates import day_and_month

# (week: 1–4 or -1 for the last, weekday: 0 is Monday) -> the words
RULES: dict[tuple[int, int], Promise] = {
    (1, 0): _("the first Monday of %(month)s"),
    (1, 1): _("the first Tuesday of %(month)s"),
    (1, 2): _("the first Wednesday of %(month)s"),
    (1, 3): _("the first Thursday of %(month)s"),
    (1, 4): _("the first Friday of %(month)s"),
    (1, 5): _("the first Saturday of %(month)s"),
    (1, 6): _("the first Sunday of %(month)s"),
    (2, 0): _("the second Monday of %(month)s"),
    (2, 1): _("the second Tuesday of %(month)s"),
    (2, 2): _("the second Wednesday of %(month)s"),
    (2, 3): _("the second Thursday of %(month)s"),
    (2, 4): _("the second Friday of %(month)s"),
    (2, 5): _("the second Saturday of %(month)s"),
    (2, 6): _("the second Sunday of %(month)s"),
    (3, 0): _("the third Monday of %(month)s"),
    (3, 1): _("the third Tuesday of %(month)s"),
    (3, 2): _("the third Wednesday of %(month)s"),
    (3, 3): _("the third Thursday of %(month)s"),
    (3, 4): _("the third Friday of %(month)s"),
    (3, 5): _("the third Saturday of %(month)s"),
    (3, 6): _("the third Sunday of %(month)s"),
    (4, 0): _("the fourth Monday of %(month)s"),
    (4, 1): _("the fourth Tuesday of %(month)s"),
    (4, 2): _("the fourth Wednesday of %(month)s"),
    (4, 3): _("the fourth Thursday of %(month)s"),
    (4, 4): _("the fourth Friday of %(month)s"),
    (4, 5): _("the fourth Saturday of %(month)s"),
    (4, 6): _("the fourth Sunday of %(month)s"),
    (-1, 0): _("the last Monday of %(month)s"),
    (-1, 1): _("the last Tuesday of %(month)s"),
    (-1, 2): _("the last Wednesday of %(month)s"),
    (-1, 3): _("the last Thursday of %(month)s"),
    (-1, 4): _("the last Friday of %(month)s"),
    (-1, 5): _("the last Saturday of %(month)s"),
    (-1, 6): _("the last Sunday of %(month)s"),
}


def weekday_rule_text(month: int, weekday: int, week: int) -> str:
    """ "the second Sunday of August", in the active language."""
    return str(RULES[(week, weekday)]) % {"month": MONTHS_ALT[month]}


def firm_date_text(month: int, day: int | None, weekday: int | None, week: int | None) -> str:
    """When a firm date falls, in words of the active language: "16 July", or "the second
    Sunday of August"."""
    if day is not None:
        return day_and_month(month, day)
    assert weekday is not None
    assert week is not None
    return weekday_rule_text(month, weekday, week)
