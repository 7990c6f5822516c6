"""The sources of a timeline: one query each, at most `limit + 1` rows after the cursor.

Every source is narrowed by its own `visible_to` and joins what the entry templates show, so
rendering a page costs no further query.
"""

import datetime
import zoneinfo
from collections.abc import Callable

from django.db.models import Exists, Model, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clientela.accounts.models import User
from clientela.activities.models import Activity, ActivityKind, Task
from clientela.activities.timeline.cursor import Cursor, after, after_day, start_of_day
from clientela.activities.timeline.entries import (
    ACTIVITY_KINDS,
    RANK_ACTIVITY,
    RANK_DEAL,
    RANK_GESTURE,
    RANK_GREETING,
    RANK_HISTORY,
    RANK_PURCHASE,
    RANK_TASK,
    RANK_TASK_DONE,
    Entry,
    SubjectRef,
)
from clientela.contacts.custom_fields import custom_field_definitions
from clientela.contacts.models import Company, Contact, CustomFieldDefinition
from clientela.contacts.views.common import field_changes
from clientela.core.models import AuditEvent
from clientela.occasions.models import Gesture, Greeting
from clientela.sales.models import Deal, DealStageChange, Purchase

# What the entry templates show of each row, joined in the row's query.
ACTIVITY_RELATED = ["user", "contact", "company", "deal"]
TASK_RELATED = ["owner", "created_by", "done_by", "contact", "deal"]
PURCHASE_RELATED = ["contact", "deal"]
STAGE_CHANGE_RELATED = ["deal", "from_stage", "to_stage", "actor"]
GREETING_RELATED = ["sender", "email"]
GESTURE_RELATED = ["user"]


def user_zone(user: User) -> datetime.tzinfo:
    """The user's own time zone, else the firm's."""
    if user.time_zone:
        try:
            return zoneinfo.ZoneInfo(user.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def _deal_url(deal_id: int) -> str:
    try:
        return reverse("sales:deal_detail", args=[deal_id])
    except NoReverseMatch:  # an installation without the sales pages
        return ""


def _shown(user: User) -> dict[str, Exists]:
    """Whether the row's contact and deal are ones the reader may see (they are named beside
    the row): a task is seen by its assignee's sight, whoever owns its client."""
    return {
        "contact_shown": Exists(Contact.objects.visible_to(user).filter(pk=OuterRef("contact_id"))),
        "deal_shown": Exists(Deal.objects.visible_to(user).filter(pk=OuterRef("deal_id"))),
    }


def _duration(value: datetime.timedelta | None) -> str:
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _("%(seconds)d s") % {"seconds": seconds}
    hours, minutes = divmod(round(seconds / 60), 60)
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def _stay(spent: datetime.timedelta) -> str:
    """How long a deal stayed in a stage, in the unit a person would say: days, hours, minutes."""
    if spent.days:
        return ngettext("%(count)d day", "%(count)d days", spent.days) % {"count": spent.days}
    hours, minutes = spent.seconds // 3600, spent.seconds // 60
    if hours:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if minutes:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ""  # moved on at once: nothing worth saying


def _call_facts(call: Activity) -> list[str]:
    facts = []
    if call.outcome:
        facts.append(call.get_outcome_display().lower())
    if call.mood:
        facts.append(_("client %(mood)s") % {"mood": call.get_mood_display().lower()})
    if call.draining:
        facts.append(_("draining %(level)d/5") % {"level": call.draining})
    return facts


def activities(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    wanted = kinds & ACTIVITY_KINDS
    if not wanted:
        return []
    rows = Activity.objects.visible_to(user).filter(**{subject.name: subject.record})
    if wanted != ACTIVITY_KINDS:
        rows = rows.filter(kind__in=sorted(wanted))
    rows = (
        rows.filter(after("started_at", RANK_ACTIVITY, cursor))
        .select_related(*ACTIVITY_RELATED)
        .annotate(**_shown(user))
        .order_by("-started_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=activity.started_at,
            kind=activity.kind,
            obj=activity,
            actor=activity.user,
            rank=RANK_ACTIVITY,
            duration=_duration(activity.duration) if activity.kind == ActivityKind.CALL else "",
            facts=_call_facts(activity) if activity.kind == ActivityKind.CALL else [],
            url=_deal_url(activity.deal_id) if activity.deal_shown else "",
        )
        for activity in rows
    ]


def tasks_created(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    if "task" not in kinds:
        return []
    rows = (
        Task.objects.visible_to(user)
        .filter(**{subject.name: subject.record})
        .filter(after("created_at", RANK_TASK, cursor))
        .select_related(*TASK_RELATED)
        .annotate(**_shown(user))
        .order_by("-created_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=task.created_at,
            kind="task",
            obj=task,
            actor=task.created_by,
            rank=RANK_TASK,
            url=_deal_url(task.deal_id) if task.deal_shown else "",
        )
        for task in rows
    ]


def tasks_done(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    if "task_done" not in kinds:
        return []
    rows = (
        Task.objects.visible_to(user)
        .filter(**{subject.name: subject.record}, done_at__isnull=False)
        .filter(after("done_at", RANK_TASK_DONE, cursor))
        .select_related(*TASK_RELATED)
        .annotate(**_shown(user))
        .order_by("-done_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=task.done_at,
            kind="task_done",
            obj=task,
            actor=task.done_by,
            rank=RANK_TASK_DONE,
            url=_deal_url(task.deal_id) if task.deal_shown else "",
        )
        for task in rows
        if task.done_at is not None
    ]


def deal_changes(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    """Deals opened (their first stage change) and moved, of deals the reader may see."""
    wanted = kinds & {"deal", "stage"}
    if not wanted:
        return []
    if isinstance(subject.record, Deal):
        rows = DealStageChange.objects.filter(deal=subject.record)
    else:
        deals = Deal.objects.visible_to(user).filter(**{subject.name: subject.record})
        rows = DealStageChange.objects.filter(deal__in=deals.values("pk"))
    if wanted == {"deal"}:
        rows = rows.filter(from_stage__isnull=True)
    elif wanted == {"stage"}:
        rows = rows.filter(from_stage__isnull=False)
    # When the deal entered the stage it leaves: the change before this one.
    entered = (
        DealStageChange.objects.filter(deal=OuterRef("deal"))
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id")))
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    rows = (
        rows.filter(after("at", RANK_DEAL, cursor))
        .annotate(entered_at=Subquery(entered))
        .select_related(*STAGE_CHANGE_RELATED)
        .order_by("-at", "-id")[: limit + 1]
    )
    entries = []
    for change in rows:
        moved = change.from_stage_id is not None
        entries.append(
            Entry(
                at=change.at,
                kind="stage" if moved else "deal",
                obj=change,
                actor=change.actor,
                rank=RANK_DEAL,
                stay=(
                    _stay(change.at - change.entered_at)
                    if moved and change.entered_at is not None
                    else ""
                ),
                url=_deal_url(change.deal_id),
            )
        )
    return entries


def purchases(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    """Purchases at the start of their day in the reader's time zone."""
    if "purchase" not in kinds:
        return []
    zone = user_zone(user)
    rows = (
        Purchase.objects.visible_to(user)
        .filter(**{subject.name: subject.record})
        .filter(after_day(RANK_PURCHASE, cursor, zone))
        .select_related(*PURCHASE_RELATED)
        .annotate(**_shown(user))
        .order_by("-date", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=start_of_day(purchase.date, zone),
            kind="purchase",
            obj=purchase,
            actor=None,
            rank=RANK_PURCHASE,
            url=_deal_url(purchase.deal_id) if purchase.deal_shown else "",
        )
        for purchase in rows
    ]


_HEADLINES: dict[str, Promise] = {
    AuditEvent.Action.CREATE: gettext_lazy("%(record)s created"),
    AuditEvent.Action.UPDATE: gettext_lazy("%(record)s changed"),
    AuditEvent.Action.DELETE: gettext_lazy("%(record)s moved to the trash"),
    AuditEvent.Action.RESTORE: gettext_lazy("%(record)s restored from the trash"),
    AuditEvent.Action.MERGE: gettext_lazy("%(record)s merged with a duplicate"),
    AuditEvent.Action.TRANSFER: gettext_lazy("%(record)s handed over"),
}


def _transfer(event: AuditEvent) -> tuple[str, str] | None:
    """(from, to) of an event that gave the record to someone else and changed nothing more."""
    owner = event.changes.get("owner")
    if not (isinstance(owner, list | tuple) and len(owner) == 2):
        return None
    if event.action == AuditEvent.Action.TRANSFER or (
        event.action == AuditEvent.Action.UPDATE and set(event.changes) == {"owner"}
    ):
        return (str(owner[0] or "—"), str(owner[1] or "—"))
    return None


def history(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    """The audit events of the subject itself (a deal's opening and moves are told above)."""
    if "history" not in kinds:
        return []
    model: type[Model] = type(subject.record)
    # The history has no owner of its own: the subject is checked here, in the same query.
    visible = model.objects.visible_to(user).filter(pk=subject.record.pk)  # type: ignore[attr-defined]
    rows = AuditEvent.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id__in=visible.values("pk"),
    )
    if isinstance(subject.record, Deal):
        rows = rows.exclude(action=AuditEvent.Action.CREATE).exclude(
            action=AuditEvent.Action.UPDATE, changes__has_key="stage"
        )
    events = list(
        rows.filter(after("at", RANK_HISTORY, cursor))
        .select_related("actor")
        .order_by("-at", "-id")[: limit + 1]
    )
    definitions: list[CustomFieldDefinition] = []
    if isinstance(subject.record, Contact | Company) and any(
        name.startswith("custom.")
        for event in events
        if event.action != AuditEvent.Action.CREATE
        for name in event.changes
    ):
        definitions = custom_field_definitions(subject.name)
    record = capfirst(model._meta.verbose_name)
    entries = []
    for event in events:
        transfer = _transfer(event)
        listed = event.action != AuditEvent.Action.CREATE and transfer is None
        entries.append(
            Entry(
                at=event.at,
                kind="history",
                obj=event,
                actor=event.actor,
                rank=RANK_HISTORY,
                headline=str(_HEADLINES.get(event.action, "%(record)s")) % {"record": record},
                changes=field_changes(model, event.changes, definitions) if listed else [],
                transfer=transfer,
            )
        )
    return entries


def greetings(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    """Greetings to the client at the moment they go (a scheduled one at its planned moment),
    with their status (which follows their email)."""
    if "greeting" not in kinds or isinstance(subject.record, Deal):
        return []
    rows = (
        Greeting.objects.visible_to(user)
        .filter(**{subject.name: subject.record})
        .filter(after("send_at", RANK_GREETING, cursor))
        .select_related(*GREETING_RELATED)
        .order_by("-send_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=greeting.send_at,
            kind="greeting",
            obj=greeting,
            actor=greeting.sender,
            rank=RANK_GREETING,
            status=greeting.status,
        )
        for greeting in rows
    ]


def gestures(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    """Gestures (postcards, flowers, …) at the start of their day in the reader's time zone."""
    if "gesture" not in kinds or isinstance(subject.record, Deal):
        return []
    zone = user_zone(user)
    rows = (
        Gesture.objects.visible_to(user)
        .filter(**{subject.name: subject.record})
        .filter(after_day(RANK_GESTURE, cursor, zone))
        .select_related(*GESTURE_RELATED)
        .order_by("-date", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=start_of_day(gesture.date, zone),
            kind="gesture",
            obj=gesture,
            actor=gesture.user,
            rank=RANK_GESTURE,
        )
        for gesture in rows
    ]


Source = Callable[[User, SubjectRef, set[str], Cursor | None, int], list[Entry]]
SOURCES: list[Source] = [
    activities,
    tasks_done,
    tasks_created,
    deal_changes,
    purchases,
    history,
    greetings,
    gestures,
]
