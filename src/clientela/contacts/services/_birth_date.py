"""Birth-date validation: the day, month and year of a contact's birthday."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.contacts.models import Contact


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(value)
    return int(value)


def _validate_birth_date(data: dict[str, Any], record: Contact) -> None:
    """Day and month together or neither; a year only with them; a real date not in the future.

    Values that are not whole numbers are a field error, never a crash (the API and imports
    can send anything).
    """
    errors: dict[str, list[str]] = {}
    parts: dict[str, int | None] = {}
    for name in ("birth_day", "birth_month", "birth_year"):
        try:
            parts[name] = _int_or_none(data.get(name, getattr(record, name)))
        except (TypeError, ValueError):
            errors[name] = [_("Enter a whole number.")]
    if errors:
        raise ValidationError(errors)
    day, month, year = parts["birth_day"], parts["birth_month"], parts["birth_year"]
    for name, value in parts.items():
        setattr(record, name, value)
    if (day is None) != (month is None):
        errors["birth_day"] = [_("Give both the day and the month of birth, or neither.")]
    elif day is not None and month is not None:
        try:
            # Without a year, 29 February is a real birthday: check against a leap year.
            born = datetime.date(year or 2000, month, day)
        except (ValueError, OverflowError):
            errors["birth_day"] = [_("There is no such date.")]
        else:
            if year is not None and born > timezone.localdate():
                errors["birth_year"] = [_("The date of birth is in the future.")]
    if year is not None and "birth_year" not in errors:
        this_year = timezone.localdate().year
        if day is None:
            errors["birth_year"] = [_("A year of birth needs the day and month too.")]
        elif not 1900 <= year <= this_year:
            errors["birth_year"] = [
                _("Enter a year between 1900 and %(year)s.") % {"year": this_year}
            ]
    if errors:
        raise ValidationError(errors)
