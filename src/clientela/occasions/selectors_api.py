"""Reads the occasions API needs beyond those the pages use, scoped like them.

A JSON body names its records by id: a record the caller cannot see is a refused value of
that field (422), as in the other APIs, where a page would answer 404 for its address.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.models import FirmSettings
from clientela.core.pagination import Page, keyset_page
from clientela.occasions.agenda import next_celebration
from clientela.occasions.models import GreetingTemplate, Occasion
from clientela.occasions.selectors import DateLine
from clientela.occasions.selectors_gestures import (
    GESTURE_ORDER,
    GESTURE_RELATED,
    GestureFilters,
    gestures_filtered,
)


def custom_date_line(occasion: Occasion, *, today: datetime.date) -> DateLine:
    """A date entered by hand as the client's dates show it: next time and years then."""
    upcoming = next_celebration(
        occasion.month,
        occasion.day,
        today,
        FirmSettings.current().leap_day_on,
        occasion.leap_shift,
        since=occasion.year,
    )
    turns = upcoming.year - occasion.year if occasion.year else None
    return DateLine(
        occasion.month, occasion.day, occasion.year, upcoming, turns, occasion.label, occasion.pk
    )


def gesture_page(user: User, filters: GestureFilters, *, cursor: str | None, size: int) -> Page:
    """`selectors_gestures.gesture_list` with the client's owner joined too: one query."""
    return keyset_page(
        gestures_filtered(user, filters).select_related(*GESTURE_RELATED, "owner"),
        order=GESTURE_ORDER,
        cursor=cursor,
        size=size,
    )


@dataclass(frozen=True)
class GreetingParts:
    contact: Contact | None
    company: Company | None
    occasion: Occasion | None
    template: GreetingTemplate | None

    @property
    def client(self) -> Contact | Company:
        found = self.contact or self.company
        assert found is not None
        return found


def _visible(user: User, model: Any, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    queryset = model.objects.visible_to(user)
    if model is Contact:
        queryset = queryset.select_related("company")
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


def greeting_parts(
    user: User,
    *,
    contact: int | None,
    company: int | None,
    occasion: int | None,
    template: int | None,
) -> GreetingParts:
    """The records a greeting names, as `user` may see them; a ValidationError naming each
    field that names none. An occasion alone stands for its client."""
    errors: dict[str, list[str]] = {}
    found_occasion = found_template = found_contact = found_company = None
    try:
        found_occasion = _visible(
            user, Occasion, occasion, "occasion", _("There is no such occasion.")
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if contact is not None and company is not None:
        errors["contact"] = [_("Give a contact or a company.")]
    elif contact is None and company is None and found_occasion is None:
        if "occasion" not in errors:
            errors["contact"] = [_("Give a contact or a company.")]
    elif contact is None and company is None:
        # The occasion's client: a contact's date is the contact's, even at its company.
        assert found_occasion is not None
        is_contact = found_occasion.contact_id is not None
        model = Contact if is_contact else Company
        pk = found_occasion.contact_id if is_contact else found_occasion.company_id
        try:
            client = _visible(user, model, pk, "occasion", _("There is no such occasion."))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            found_contact, found_company = (client, None) if is_contact else (None, client)
    else:
        try:
            found_contact = _visible(
                user, Contact, contact, "contact", _("There is no such contact.")
            )
            found_company = _visible(
                user, Company, company, "company", _("There is no such company.")
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if template is not None:
        found_template = GreetingTemplate.objects.filter(pk=template, active=True).first()
        if found_template is None:
            errors["template"] = [_("Choose a greeting template by its number, or none.")]
    if errors:
        raise ValidationError(errors)
    return GreetingParts(found_contact, found_company, found_occasion, found_template)
