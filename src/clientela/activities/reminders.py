"""The daily reminder job: a task for the client's owner N days before each occasion.

N comes from the firm settings, one number per kind of occasion. The job for day D reminds of
the occasions celebrated on D + N, with a task due on D. Each reminder's `origin_key` names the
occasion (by its kind and client when computed) and the celebration date, so a second run (or a second worker) creates nothing twice.
When the worker was down, the scheduler runs the missed days in order and each creates the
reminders it would have created, as long as the occasion is still ahead for its owner.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.services import task_snapshot
from clientela.core.audit import audit_diff, audit_record
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import celebrated_on, live_client, years_on
from clientela.occasions.models import Occasion, OccasionKind

logger = logging.getLogger(__name__)


def reminder_days(firm: FirmSettings) -> dict[str, int]:
    return {
        OccasionKind.BIRTHDAY: firm.remind_birthday_days,
        OccasionKind.NAME_DAY: firm.remind_name_day_days,
        OccasionKind.ANNIVERSARY: firm.remind_anniversary_days,
        OccasionKind.CUSTOM: firm.remind_custom_days,
    }


def reminder_key(occasion: Occasion, celebration: datetime.date) -> str:
    """The reminder's `origin_key`. A computed occasion is named by its kind and client, since
    its row is made anew when, say, a name day is removed and computed again; a client has one
    of each kind. A date entered by hand is named by its row, as a client may have several."""
    if occasion.kind == OccasionKind.CUSTOM:
        return f"occasion:{occasion.pk}:{celebration:%Y-%m-%d}"
    client = (
        f"contact:{occasion.contact_id}"
        if occasion.contact_id
        else f"company:{occasion.company_id}"
    )
    return f"occasion:{occasion.kind}:{client}:{celebration:%Y-%m-%d}"


def client_name(occasion: Occasion) -> str:
    contact = occasion.contact
    if contact is not None:
        return " ".join(p for p in (contact.first_name, contact.last_name) if p) or str(contact)
    return str(occasion.company)


def occasion_title(occasion: Occasion, celebration: datetime.date) -> str:
    """ "Birthday of Олена Шевченко on 3 June (turns 40)", in the active language."""
    values: dict[str, Any] = {
        "client": client_name(occasion),
        # "E": the month as it is said after a day number ("3 червня", "3 июня", "3 June").
        "date": dateformat.format(celebration, "j E"),
        "label": occasion.label,
    }
    if occasion.kind == OccasionKind.BIRTHDAY:
        title = _("Birthday of %(client)s on %(date)s") % values
    elif occasion.kind == OccasionKind.NAME_DAY:
        title = _("Name day of %(client)s on %(date)s") % values
    elif occasion.kind == OccasionKind.ANNIVERSARY:
        title = _("Anniversary of working with %(client)s on %(date)s") % values
    elif occasion.label:
        title = _("%(label)s of %(client)s on %(date)s") % values
    else:
        title = _("Date of %(client)s on %(date)s") % values
    years = years_on(occasion, celebration)
    if years is not None and occasion.kind == OccasionKind.BIRTHDAY:
        title += " " + ngettext("(turns %(n)d)", "(turns %(n)d)", years) % {"n": years}
    elif years is not None:
        title += " " + ngettext("(%(n)d year)", "(%(n)d years)", years) % {"n": years}
    return title


def reminders_create(day: datetime.date, now: datetime.datetime) -> str:
    """The reminders the job of `day` owes: one task per occasion celebrated N days later.

    Idempotent: an occasion already reminded of for that celebration (even if the task was
    done or trashed since) gets nothing new. An occasion already past for its owner (a late
    catch-up) and an inactive owner get no reminder. Returns a summary for the job log.
    """
    firm = FirmSettings.current()
    created = passed = 0
    for kind, days_before in reminder_days(firm).items():
        celebration = day + datetime.timedelta(days=days_before)
        occasions = list(
            Occasion.objects.filter(celebrated_on(celebration, firm.leap_day_on))
            .filter(live_client(), kind=kind, owner__is_active=True)
            .select_related("owner", "contact", "company")
            .order_by("id")
        )
        keys = {occasion.pk: reminder_key(occasion, celebration) for occasion in occasions}
        existing = set(
            Task.all_objects.filter(origin_key__in=keys.values()).values_list(
                "origin_key", flat=True
            )
        )
        for occasion in occasions:
            if keys[occasion.pk] in existing:
                continue
            if celebration < user_today(occasion.owner, now):
                passed += 1
                continue
            if _reminder_save(occasion, celebration, due=day, key=keys[occasion.pk]):
                created += 1
    logger.info("Reminders for %s: %s created, %s already past", day, created, passed)
    return f"{created} created, {passed} past"


def _reminder_save(
    occasion: Occasion, celebration: datetime.date, *, due: datetime.date, key: str
) -> bool:
    owner: User = occasion.owner
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        title = occasion_title(occasion, celebration)
    task = Task(
        title=title[:200],
        due_date=due,
        owner=owner,
        team_id=owner.team_id,
        contact_id=occasion.contact_id,
        company_id=occasion.company_id,
        created_by=None,
        origin=TaskOrigin.REMINDER,
        origin_key=key,
    )
    try:
        with transaction.atomic():
            task.save()
            audit_record(
                actor=None, action="create", obj=task, changes=audit_diff({}, task_snapshot(task))
            )
    except IntegrityError:
        # Another worker created the same reminder a moment ago.
        if Task.all_objects.filter(origin_key=key).exists():
            return False
        raise
    return True
