"""Starting an experiment (assignment, tasks, gestures and greetings, all or nothing) and
finishing it."""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.services import task_snapshot
from clientela.contacts.models import Contact
from clientela.core.audit import audit_diff, audit_record, audit_records
from clientela.occasions.models import Gesture, GestureKind, Greeting, GreetingTemplate
from clientela.occasions.selectors_greetings import greeting_language
from clientela.occasions.services_gestures import gesture_snapshot
from clientela.occasions.services_greetings import greeting_send
from clientela.retention.experiments.allocation import allocate
from clientela.retention.experiments.models import Arm, Assignment, Experiment, SendSkipped
from clientela.retention.experiments.selectors import eligible_clients
from clientela.retention.experiments.services._common import _ensure_can_run, _locked


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
    can no longer write): the chosen template to a client of its language, to the others the
    template of the same occasion in theirs when there is one. A failure names the arm's
    field and rolls the whole start back."""
    chosen = arm.greeting_template
    assert chosen is not None
    language = greeting_language(client)
    if language == chosen.language:
        template = chosen
    else:
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
    audit_records(
        actor=actor,
        action="create",
        changes=[(task, audit_diff({}, task_snapshot(task))) for task in tasks]
        + [(gesture, audit_diff({}, gesture_snapshot(gesture))) for gesture in gestures],
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
