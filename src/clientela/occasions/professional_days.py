"""Ukraine's professional days (професійні свята), from `data/professional_days.json`.

Each day has its names in Ukrainian, Russian and English, the rule that gives its date (a
fixed day, or a weekday of a month: "the second Sunday of August") and the act that sets it,
as in force in 2026; the file says where each was checked. An administrator adds the days the
firm's clients celebrate to the firm dates (services_firm_dates.professional_days_add).
"""

import datetime
import json
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from clientela.occasions.models import nth_weekday


@dataclass(frozen=True)
class ProfessionalDay:
    key: str
    names: tuple[tuple[str, str], ...]  # (language, name) for uk, ru, en
    month: int
    day: int | None
    weekday: int | None  # 0 is Monday
    week: int | None  # 1–4, or -1 for the last
    act: str

    def date_in(self, year: int) -> datetime.date:
        if self.day is not None:
            return datetime.date(year, self.month, self.day)
        assert self.weekday is not None
        assert self.week is not None
        return nth_weekday(year, self.month, self.weekday, self.week)

    def name_in(self, language: str) -> str:
        names = dict(self.names)
        return names.get((language or "")[:2]) or names["uk"]


def _load() -> dict[str, ProfessionalDay]:
    raw = resources.files(__package__).joinpath("data/professional_days.json").read_text("utf-8")
    days = {}
    for item in json.loads(raw)["days"]:
        rule = item["rule"]
        days[item["key"]] = ProfessionalDay(
            key=item["key"],
            names=tuple((language, item[language]) for language in ("uk", "ru", "en")),
            month=rule["month"],
            day=rule.get("day"),
            weekday=rule.get("weekday"),
            week=rule.get("week"),
            act=item["act"],
        )
    return days


PROFESSIONAL_DAYS = MappingProxyType(_load())
