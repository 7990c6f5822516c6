"""Services that create, change, start and finish gesture experiments.

Only team leads and administrators run experiments (`can_run_experiments`); a draft is edited
freely, a running or finished experiment no longer changes its setup: its clients, arms and
window are what the results are measured against.
"""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.services import task_snapshot
from clientela.contacts.models import Contact
from clientela.contacts.selectors import CONTACT_SORTS, list_filters_clean
from clientela.core.audit import audit_diff, audit_record
from clientela.core.channel import current_channel
from clientela.core.errors import EditConflict
from clientela.core.models import AuditEvent
from clientela.core.money import DEFAULT_CURRENCY, clean_amount, clean_currency
from clientela.occasions.models import Gesture, GestureKind, Greeting, GreetingTemplate
from clientela.occasions.selectors_greetings import greeting_language
from clientela.occasions.services_gestures import gesture_snapshot
from clientela.occasions.services_greetings import greeting_send
from clientela.retention.experiments.allocation import allocate
from clientela.retention.experiments.models import (
    MAX_WINDOW_DAYS,
    Arm,
    Assignment,
    Experiment,
    SendSkipped,
)
from clientela.retention.experiments.selectors import (
    FILTER_KEYS,
    can_run_experiments,
    eligible_clients,
)

Errors = dict[str, list[str]]
EXPERIMENT_FIELDS = frozenset(
    {"name", "hypothesis", "filters", "at_risk_only", "window_days", "stratify_by_owner", "seed"}
)
ARM_FIELDS = frozenset(
    {"name", "is_control", "gesture_kind", "creates_task", "greeting_template", "cost", "currency"}
)
MAX_ARMS = 6
MAX_SEED = 2**63 - 1


def _ensure_can_run(actor: User) -> None:
    if not can_run_experiments(actor):
        raise PermissionDenied(_("Only team leads and administrators run experiments."))


def experiment_snapshot(experiment: Experiment, arms: list[Arm] | None = None) -> dict[str, Any]:
    if arms is None and experiment.pk:
        arms = list(experiment.arms.select_related("greeting_template"))
    arms = arms or []
    return {
        "name": experiment.name,
        "hypothesis": experiment.hypothesis or None,
        "status": experiment.status,
        "filters": experiment.filters or None,
        "at_risk_only": experiment.at_risk_only,
        "window_days": experiment.window_days,
        "stratify_by_owner": experiment.stratify_by_owner,
        "seed": experiment.seed,
        "arms": [
            {
                "name": arm.name,
                "control": arm.is_control,
                "gesture": arm.gesture_kind or None,
                "task": arm.creates_task,
                "greeting": arm.greeting_template.name if arm.greeting_template else None,
                "cost": f"{arm.cost} {arm.currency}",
            }
            for arm in arms
        ]
        or None,
    }


def _text(value: Any, field: str, errors: Errors, *, required: bool, limit: int) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors[field] = [_("Null characters are not allowed.")]
    elif required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Use at most %(limit)d characters.") % {"limit": limit}]
    return text


def _bool(value: Any, field: str, errors: Errors) -> bool:
    if not isinstance(value, bool):
        errors[field] = [_("Enter true or false.")]
        return False
    return value


def _clean_filters(actor: User, raw: Any, errors: Errors) -> dict[str, str]:
    """The contact list's filter parameters, checked as the list checks them."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        errors["filters"] = [_('Give the filters as an object such as {"tag": "VIP"}.')]
        return {}
    unknown = sorted(set(raw) - set(FILTER_KEYS))
    if unknown:
        errors["filters"] = [
            _("Unknown filters: %(names)s. Use: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(FILTER_KEYS)}
        ]
        return {}
    cleaned = {key: str(value).strip() for key, value in raw.items() if value not in (None, "")}
    try:
        list_filters_clean(actor, cleaned, sorts=CONTACT_SORTS)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors[f"filters.{key}"] = messages
    return cleaned


def _apply(*, actor: User, experiment: Experiment, data: dict[str, Any], creating: bool) -> Errors:
    errors: Errors = {}
    for name in sorted(data.keys() - EXPERIMENT_FIELDS - {"arms"}):
        errors[name] = [_("There is no such field.")]
    if "name" in data or creating:
        experiment.name = _text(data.get("name"), "name", errors, required=True, limit=200)
    if "hypothesis" in data:
        experiment.hypothesis = _text(
            data["hypothesis"], "hypothesis", errors, required=False, limit=5000
        )
    if "filters" in data:
        experiment.filters = _clean_filters(actor, data["filters"], errors)
    for flag in ("at_risk_only", "stratify_by_owner"):
        if flag in data:
            setattr(experiment, flag, _bool(data[flag], flag, errors))
    if "window_days" in data:
        days = data["window_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_WINDOW_DAYS:
            errors["window_days"] = [
                _("Enter a whole number of days from 1 to %(most)d.") % {"most": MAX_WINDOW_DAYS}
            ]
        else:
            experiment.window_days = days
    if "seed" in data:
        seed = data["seed"]
        if seed in (None, ""):
            experiment.seed = None
        elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            errors["seed"] = [_("Enter a whole number from 0 to 2⁶³ − 1, or leave it empty.")]
        else:
            experiment.seed = seed
    return errors


def _clean_arms(raw: Any, errors: Errors) -> list[Arm]:
    """The arms, checked row by row (errors name the row: "arms.2.cost")."""
    if not isinstance(raw, list):
        errors["arms"] = [_("Give the arms as a list.")]
        return []
    if len(raw) > MAX_ARMS:
        errors["arms"] = [_("At most %(most)d arms.") % {"most": MAX_ARMS}]
        return []
    arms: list[Arm] = []
    names: set[str] = set()
    for index, row in enumerate(raw):
        prefix = f"arms.{index}."
        if not isinstance(row, dict):
            errors[f"arms.{index}"] = [_("Each arm is an object.")]
            continue
        for name in sorted(row.keys() - ARM_FIELDS):
            errors[prefix + name] = [_("There is no such field.")]
        arm = Arm(position=index)
        arm.name = _text(row.get("name"), prefix + "name", errors, required=True, limit=100)
        if arm.name and arm.name.casefold() in names:
            errors[prefix + "name"] = [_("Two arms cannot have the same name.")]
        names.add(arm.name.casefold())
        arm.is_control = _bool(row.get("is_control", False), prefix + "is_control", errors)
        arm.creates_task = _bool(row.get("creates_task", False), prefix + "creates_task", errors)
        kind = str(row.get("gesture_kind") or "")
        if kind and kind not in GestureKind.values:
            errors[prefix + "gesture_kind"] = [
                _("“%(value)s” is not one of the choices.") % {"value": kind}
            ]
        arm.gesture_kind = kind
        arm.greeting_template_id = _template_id(
            row.get("greeting_template"), prefix + "greeting_template", errors
        )
        try:
            arm.cost = clean_amount(row.get("cost") if row.get("cost") not in (None, "") else 0)
        except ValidationError as exc:
            errors[prefix + "cost"] = exc.messages
        try:
            arm.currency = clean_currency(row.get("currency") or DEFAULT_CURRENCY)
        except ValidationError as exc:
            errors[prefix + "currency"] = exc.messages
        arms.append(arm)
    if sum(arm.is_control for arm in arms) > 1:
        errors["arms"] = [_("Only one arm can be the control.")]
    _attach_templates(arms, errors)
    return arms


def _template_id(value: Any, field: str, errors: Errors) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors[field] = [_("Choose a greeting template by its number, or none.")]
        return None
    return value


def _attach_templates(arms: list[Arm], errors: Errors) -> None:
    """Each arm's greeting template, which must exist and be in use (one query)."""
    wanted = {arm.greeting_template_id for arm in arms if arm.greeting_template_id}
    found = GreetingTemplate.objects.filter(pk__in=wanted, active=True).in_bulk() if wanted else {}
    for arm in arms:
        if arm.greeting_template_id is None:
            continue
        template = found.get(arm.greeting_template_id)
        if template is None:
            errors[f"arms.{arm.position}.greeting_template"] = [
                _("There is no greeting template %(id)s in use: choose another one, or none.")
                % {"id": arm.greeting_template_id}
            ]
            arm.greeting_template_id = None
        else:
            arm.greeting_template = template


def _save_arms(experiment: Experiment, arms: list[Arm]) -> None:
    experiment.arms.all().delete()
    for arm in arms:
        arm.experiment = experiment
    Arm.objects.bulk_create(arms)


@transaction.atomic
def experiment_create(*, actor: User, data: dict[str, Any]) -> Experiment:
    """A draft experiment with its arms (`data["arms"]`: a list of arm objects).

    Raises ValidationError naming each bad field (`arms.1.cost` for a row); nothing saved.
    Drafts may have fewer than two arms; starting refuses them.
    """
    _ensure_can_run(actor)
    experiment = Experiment(created_by=actor)
    errors = _apply(actor=actor, experiment=experiment, data=data, creating=True)
    arms = _clean_arms(data.get("arms", []), errors)
    if errors:
        raise ValidationError(errors)
    experiment.save()
    _save_arms(experiment, arms)
    audit_record(
        actor=actor,
        action="create",
        obj=experiment,
        changes=audit_diff({}, experiment_snapshot(experiment, arms)),
    )
    return experiment


def _locked(actor: User, experiment: Experiment) -> Experiment:
    visible = Experiment.objects.visible_to(actor).filter(pk=experiment.pk)
    list(visible.select_for_update().values_list("pk", flat=True))
    locked = visible.select_related("created_by").first()
    if locked is None:
        raise Http404
    return locked


@transaction.atomic
def experiment_update(
    *,
    actor: User,
    experiment: Experiment,
    data: dict[str, Any],
    expected_updated_at: Any = None,
) -> Experiment:
    """Change a draft (the fields present in `data`; `arms`, when given, replaces them all)."""
    _ensure_can_run(actor)
    locked = _locked(actor, experiment)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this experiment while you were editing it."))
    if locked.status != Experiment.Status.DRAFT:
        raise ValidationError(
            {"status": [_("Only a draft can be changed: this experiment has started.")]}
        )
    before = experiment_snapshot(locked)
    errors = _apply(actor=actor, experiment=locked, data=data, creating=False)
    arms = _clean_arms(data["arms"], errors) if "arms" in data else None
    if errors:
        raise ValidationError(errors)
    locked.save()
    if arms is not None:
        _save_arms(locked, arms)
    changes = audit_diff(before, experiment_snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


# --- starting -------------------------------------------------------------------------------


def task_title(arm: Arm, client: Contact, experiment: Experiment) -> str:
    """The task's title in the active language (the owner's, when the service runs)."""
    values = {
        "client": " ".join(p for p in (client.first_name, client.last_name) if p),
        "experiment": experiment.name,
        "arm": arm.name,
    }
    titles = {
        GestureKind.POSTCARD: _("Send a postcard to %(client)s — experiment “%(experiment)s”"),
        GestureKind.FLOWERS: _("Send flowers to %(client)s — experiment “%(experiment)s”"),
        GestureKind.GIFT: _("Give a gift to %(client)s — experiment “%(experiment)s”"),
        GestureKind.VOUCHER: _(
            "Give a discount voucher to %(client)s — experiment “%(experiment)s”"
        ),
        GestureKind.CALL: _("Call %(client)s — experiment “%(experiment)s”"),
        GestureKind.GREETING_EMAIL: _(
            "Send a greeting email to %(client)s — experiment “%(experiment)s”"
        ),
        GestureKind.MESSAGE: _("Send a message to %(client)s — experiment “%(experiment)s”"),
    }
    template = titles.get(arm.gesture_kind) if arm.gesture_kind else None  # type: ignore[call-overload]
    if template is None:
        template = _("%(arm)s for %(client)s — experiment “%(experiment)s”")
    return (template % values)[:200]


def _refuse_start(experiment: Experiment, arms: list[Arm]) -> None:
    if experiment.status != Experiment.Status.DRAFT:
        raise ValidationError(
            {"status": [_("Only a draft can be started: this experiment has already started.")]}
        )
    if len(arms) < 2:
        raise ValidationError(
            {
                "arms": [
                    _(
                        "An experiment needs at least two arms to compare (for example a "
                        "gesture and “no gesture”); this one has %(count)d."
                    )
                    % {"count": len(arms)}
                ]
            }
        )
    if not any(arm.is_control for arm in arms):
        raise ValidationError(
            {
                "arms": [
                    _(
                        "Mark one arm as the control (usually “no gesture”): "
                        "the other arms are compared with it."
                    )
                ]
            }
        )
    retired = {
        f"arms.{index}.greeting_template": [
            _(
                "The greeting template “%(template)s” is no longer in use: choose another one "
                "for the arm “%(arm)s”, or none."
            )
            % {"template": arm.greeting_template.name, "arm": arm.name}
        ]
        for index, arm in enumerate(arms)
        if arm.greeting_template is not None and not arm.greeting_template.active
    }
    if retired:
        raise ValidationError(retired)


def _templates_by_language(arms: list[Arm]) -> dict[tuple[str, str], GreetingTemplate]:
    """The active templates of the arms' occasion kinds, by (kind, language): the first by
    name, as the greeting pages offer them (one query)."""
    kinds = {arm.greeting_template.occasion_kind for arm in arms if arm.greeting_template}
    if not kinds:
        return {}
    found: dict[tuple[str, str], GreetingTemplate] = {}
    for template in GreetingTemplate.objects.filter(active=True, occasion_kind__in=kinds).order_by(
        "name", "id"
    ):
        found.setdefault((template.occasion_kind, template.language), template)
    return found


def _send_skipped(client: Contact) -> str:
    """Why `client` cannot be sent a marketing email ("" when they can)."""
    if not client.primary_email:
        return SendSkipped.NO_EMAIL
    if not client.marketing_consent:
        return SendSkipped.NO_CONSENT
    return ""


def _send_greeting(
    *,
    actor: User,
    arm: Arm,
    index: int,
    client: Contact,
    templates: dict[tuple[str, str], GreetingTemplate],
) -> Greeting:
    """Send the arm's greeting to `client` from their owner (from the starter when the owner
    can no longer write), in the client's language when the template's occasion has a
    template in it. A failure names the arm's field and rolls the whole start back."""
    chosen = arm.greeting_template
    assert chosen is not None
    language = greeting_language(client)
    template = templates.get((chosen.occasion_kind, language), chosen)
    sender = client.owner if client.owner.can_write else actor
    try:
        return greeting_send(
            actor=sender,
            contact=client,
            subject=template.subject,
            body=template.body,
            language=template.language,
            personal=False,
            template=template,
            send_at=None,
        )
    except ValidationError as exc:
        problems = exc.messages
    raise ValidationError(
        {
            f"arms.{index}.greeting_template": [
                _("The greeting to %(client)s could not be sent: %(problem)s")
                % {"client": client, "problem": " ".join(problems)}
            ]
        }
    )


def _audit_rows(actor: User, objects: list[Any], snapshot: Any, at: Any) -> list[AuditEvent]:
    if not objects:
        return []
    content_type = ContentType.objects.get_for_model(objects[0])
    channel = current_channel()
    return [
        AuditEvent(
            at=at,
            actor=actor,
            channel=channel,
            action="create",
            content_type=content_type,
            object_id=obj.pk,
            object_repr=str(obj)[:200],
            changes=audit_diff({}, snapshot(obj)),
        )
        for obj in objects
    ]


@transaction.atomic
def experiment_start(*, actor: User, experiment: Experiment) -> Experiment:
    """Freeze the eligible clients (those the starter sees) and deal them to the arms.

    Refuses (ValidationError naming the reason) a started experiment, fewer than two arms, no
    control arm, or no eligible client. The seed is the experiment's, or drawn now with
    `secrets` and recorded; the same seed and the same eligible clients give the same
    assignment. Each client of an arm with a task gets a task for its owner; each client of an
    arm with a gesture gets a planned gesture with the arm's cost; each client of an arm with a
    greeting template is sent it as a marketing email (`greeting_send`, from their owner), or,
    without an email address or marketing consent, stays assigned with the skip recorded
    (`send_skipped`), so the arms stay comparable. Everything, and its history, is written in
    one transaction, and the emails leave through the outbox only when it commits: a failure
    leaves the draft as it was and sends nothing.
    """
    _ensure_can_run(actor)
    locked = _locked(actor, experiment)
    arms = list(locked.arms.select_related("greeting_template").order_by("position", "id"))
    _refuse_start(locked, arms)
    templates = _templates_by_language(arms)
    clients = list(
        eligible_clients(actor, locked).select_related("owner", "company").order_by("pk")
    )
    if not clients:
        raise ValidationError(
            {
                "filters": [
                    _(
                        "No client is eligible: none of the clients you see matches the "
                        "experiment's filters. Widen the filters before starting."
                    )
                ]
            }
        )
    if locked.seed is None:
        locked.seed = secrets.randbits(63)
    dealt = allocate(
        ((c.pk, c.owner_id) for c in clients),
        arms=len(arms),
        seed=locked.seed,
        stratify=locked.stratify_by_owner,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    window_end = today + datetime.timedelta(days=locked.window_days)
    assignments: list[Assignment] = []
    tasks: list[Task] = []
    gestures: list[Gesture] = []
    note = _("Experiment “%(experiment)s”, arm “%(arm)s”.")
    for client in clients:
        arm = arms[dealt[client.pk]]
        assignment = Assignment(
            experiment=locked,
            contact=client,
            arm=arm,
            owner_id=client.owner_id,
            assigned_at=now,
            assigned_on=today,
            window_ends_on=window_end,
        )
        owner = client.owner
        with translation.override(owner.language or settings.LANGUAGE_CODE):
            if arm.creates_task:
                assignment.task = Task(
                    title=task_title(arm, client, locked),
                    notes=note % {"experiment": locked.name, "arm": arm.name},
                    due_date=today,
                    owner=owner,
                    team_id=owner.team_id,
                    contact=client,
                    created_by=actor,
                    origin=TaskOrigin.EXPERIMENT,
                    origin_key=f"experiment:{locked.pk}:{client.pk}",
                )
                tasks.append(assignment.task)
            if arm.gesture_kind:
                assignment.gesture = Gesture(
                    contact=client,
                    owner=owner,
                    team_id=client.team_id,
                    user=owner,
                    kind=arm.gesture_kind,
                    date=today,
                    cost=arm.cost,
                    currency=arm.currency,
                    status=Gesture.Status.PLANNED,
                    notes=note % {"experiment": locked.name, "arm": arm.name},
                )
                gestures.append(assignment.gesture)
        if arm.greeting_template is not None:
            assignment.send_skipped = _send_skipped(client)
            if not assignment.send_skipped:
                assignment.sent_greeting = _send_greeting(
                    actor=actor,
                    arm=arm,
                    index=dealt[client.pk],
                    client=client,
                    templates=templates,
                )
        assignments.append(assignment)
    Task.objects.bulk_create(tasks)
    Gesture.objects.bulk_create(gestures)
    Assignment.objects.bulk_create(assignments)
    AuditEvent.objects.bulk_create(
        _audit_rows(actor, tasks, task_snapshot, now)
        + _audit_rows(actor, gestures, gesture_snapshot, now)
    )
    before = {"status": locked.status, "seed": None, "clients": None}
    locked.status = Experiment.Status.RUNNING
    locked.started_at = now
    locked.started_by = actor
    locked.save(update_fields=["status", "seed", "started_at", "started_by", "updated_at"])
    per_arm = {arm.name: 0 for arm in arms}
    for index in dealt.values():
        per_arm[arms[index].name] += 1
    after: dict[str, Any] = {"status": locked.status, "seed": locked.seed, "clients": per_arm}
    if any(arm.greeting_template for arm in arms):
        before["emails"] = None
        after["emails"] = {
            arm.name: {
                "sent": sum(1 for a in assignments if a.arm is arm and a.sent_greeting),
                "skipped": sum(1 for a in assignments if a.arm is arm and a.send_skipped),
            }
            for arm in arms
            if arm.greeting_template
        }
    audit_record(
        actor=actor,
        action="update",
        obj=locked,
        changes=audit_diff(before, after),
    )
    return locked


@transaction.atomic
def experiment_finish(*, actor: User, experiment: Experiment) -> Experiment:
    """Mark a running experiment finished. Its assignments stay; clients still in their
    window keep counting when their purchases come in."""
    _ensure_can_run(actor)
    locked = _locked(actor, experiment)
    if locked.status != Experiment.Status.RUNNING:
        raise ValidationError({"status": [_("Only a running experiment can be finished.")]})
    locked.status = Experiment.Status.FINISHED
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "finished_at", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=locked,
        changes={"status": [Experiment.Status.RUNNING, Experiment.Status.FINISHED]},
    )
    return locked
