"""Reads of greetings and their templates, already narrowed to what the user may see."""

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.ids import id_or_404
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import next_celebration
from clientela.occasions.greetings import LANGUAGES
from clientela.occasions.models import Greeting, GreetingTemplate, Occasion

# How many of a client's greetings its page lists.
PANEL_GREETINGS = 5
GREETING_RELATED = ["email", "sender"]


def greeting_templates(*, active_only: bool = False) -> list[GreetingTemplate]:
    """Every template (they belong to the firm, not to a manager), by kind, language, name."""
    rows = GreetingTemplate.objects.all()
    if active_only:
        rows = rows.filter(active=True)
    return list(rows.order_by("occasion_kind", "language", "name", "id"))


def greeting_template_get(pk: int) -> GreetingTemplate:
    return get_object_or_404(GreetingTemplate, pk=id_or_404(pk))


def contact_for_greeting(user: User, pk: object) -> Contact:
    """The contact `user` may see, with its company joined; Http404 otherwise."""
    visible = Contact.objects.visible_to(user).select_related("company")
    return get_object_or_404(visible, pk=id_or_404(pk))


def company_for_greeting(user: User, pk: object) -> Company:
    """The company `user` may see (not in the trash); Http404 otherwise."""
    return get_object_or_404(Company.objects.visible_to(user), pk=id_or_404(pk))


def occasion_for_greeting(user: User, pk: object) -> Occasion:
    """A contact's or a company's occasion `user` may see; Http404 otherwise."""
    return get_object_or_404(Occasion.objects.visible_to(user), pk=id_or_404(pk))


def _client_filter(client: Contact | Company) -> dict[str, object]:
    if isinstance(client, Company):
        return {"company": client, "contact__isnull": True}
    return {"contact": client}


def next_occasion(client: Contact | Company, today: datetime.date) -> Occasion | None:
    """The client's occasion celebrated soonest from `today` (a client has a handful)."""
    leap_day_on = FirmSettings.current().leap_day_on
    occasions = list(Occasion.objects.filter(**_client_filter(client)))
    if not occasions:
        return None
    return min(occasions, key=lambda o: (_next_date(o, today, leap_day_on), o.pk))


def occasion_date(occasion: Occasion, today: datetime.date) -> datetime.date:
    return _next_date(occasion, today, FirmSettings.current().leap_day_on)


def _next_date(occasion: Occasion, today: datetime.date, leap_day_on: str) -> datetime.date:
    return next_celebration(
        occasion.month, occasion.day, today, leap_day_on, occasion.leap_shift, since=occasion.year
    )


def greeting_language(client: Contact | Company) -> str:
    """The contact's language, else the firm's (a company has no language of its own)."""
    if isinstance(client, Contact) and client.language in LANGUAGES:
        return client.language
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGES else "en"


def default_template(
    templates: list[GreetingTemplate], *, kind: str, language: str
) -> GreetingTemplate | None:
    """The first template for the occasion's kind in the language, else for the kind."""
    for match in (
        lambda t: t.occasion_kind == kind and t.language == language,
        lambda t: t.language == language,
    ):
        for template in templates:
            if template.active and match(template):
                return template
    return None


def client_greetings_recent(
    user: User, client: Contact | Company, limit: int = PANEL_GREETINGS
) -> list[Greeting]:
    """The client's latest greetings (newest first), their emails joined for the status."""
    return list(
        Greeting.objects.visible_to(user)
        .filter(**_client_filter(client))
        .select_related(*GREETING_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )


def greeting_get(user: User, pk: int) -> Greeting:
    visible = Greeting.objects.visible_to(user).select_related(*GREETING_RELATED)
    return get_object_or_404(visible, pk=id_or_404(pk))
