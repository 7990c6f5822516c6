"""Template filters of the workload pages."""

import datetime

from django import template

from clientela.insights.workload import duration_text

register = template.Library()


@register.filter
def talk_time(value: datetime.timedelta | None) -> str:
    """A talk time as "2 h 15 min"."""
    return duration_text(value)
