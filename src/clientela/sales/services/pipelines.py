"""Services that configure pipelines, their stages and the lost reasons (administrators only).

A pipeline always keeps what deals need to move through it: once it has an active open stage
and an active won stage, no change may take the last of either away. Stages and lost reasons
are retired (made inactive), never deleted: the deals that went through them keep their
history.
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientela.accounts.models import User
from clientela.core.audit import audit_diff, audit_record
from clientela.sales.models import Deal, LostReason, Pipeline, Stage, StageKind
from clientela.sales.services._common import Errors, _ensure_admin, _lock, _percent, _text

Direction = Literal["up", "down"]


def pipeline_snapshot(pipeline: Pipeline) -> dict[str, Any]:
    return {
        "name": pipeline.name,
        "position": pipeline.position,
        "is_default": pipeline.is_default,
        "active": pipeline.active,
    }


def stage_snapshot(stage: Stage) -> dict[str, Any]:
    return {
        "name": stage.name,
        "kind": stage.kind,
        "probability": stage.probability,
        "position": stage.position,
        "active": stage.active,
    }


def lost_reason_snapshot(reason: LostReason) -> dict[str, Any]:
    return {"name": reason.name, "position": reason.position, "active": reason.active}


def _clean(record: models.Model, errors: Errors, exclude: list[str]) -> None:
    try:
        record.full_clean(exclude=[*exclude, *errors], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _audit_change(actor: User, record: models.Model, before: dict[str, Any], after: Any) -> None:
    changes = audit_diff(before, after)
    if changes:
        audit_record(actor=actor, action="update", obj=record, changes=changes)


def _refresh_locked(record: Any) -> Any:
    """`record` read again under a row lock, so two administrators change it one at a time."""
    model = type(record)
    _lock(model.objects.filter(pk=record.pk))
    return model.objects.get(pk=record.pk)


Moved = list[tuple[Any, int]]


def _move(siblings: models.QuerySet[Any], record: Any, direction: str) -> Moved:
    """Swap `record` with its neighbour in `siblings`; positions become 0, 1, 2, … in order.

    The siblings are locked first, so two reorderings at once cannot leave two rows on one
    position. Returns the rows whose position changed, each with its old position.
    """
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [_("Move up or down.")]})
    _lock(siblings)
    rows = list(siblings.order_by("position", "pk"))
    index = next((i for i, row in enumerate(rows) if row.pk == record.pk), None)
    if index is None:
        return []
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return _renumber(rows)


def _renumber(rows: list[Any]) -> Moved:
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            changed.append((row, row.position))
            row.position = position
    if changed:
        type(rows[0]).objects.bulk_update([row for row, _old in changed], ["position"])
    return changed


def _audit_moves(actor: User, moved: Moved) -> None:
    for row, old in moved:
        _audit_change(actor, row, {"position": old}, {"position": row.position})


def _next_position(siblings: models.QuerySet[Any]) -> int:
    last = siblings.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


# --- pipelines ----------------------------------------------------------------------------


@transaction.atomic
def pipeline_create(
    *, actor: User, name: str, position: int | None = None, is_default: bool = False
) -> Pipeline:
    """A new pipeline (administrators only); the first one, or `is_default`, becomes the default."""
    _ensure_admin(actor)
    errors: Errors = {}
    pipeline = Pipeline(name=_text(name, "name", errors))
    if position is None:
        position = _next_position(Pipeline.objects.all())
    pipeline.position = position
    pipeline.is_default = is_default or not Pipeline.objects.exists()
    _clean(pipeline, errors, [])
    if errors:
        raise ValidationError(errors)
    if pipeline.is_default:
        Pipeline.objects.filter(is_default=True).update(is_default=False)
    pipeline.save()
    audit_record(
        actor=actor,
        action="create",
        obj=pipeline,
        changes=audit_diff({}, pipeline_snapshot(pipeline)),
    )
    return pipeline


@transaction.atomic
def pipeline_update(*, actor: User, pipeline: Pipeline, name: str) -> Pipeline:
    """Rename `pipeline`; an empty name is refused on the field "name"."""
    _ensure_admin(actor)
    locked = _refresh_locked(pipeline)
    before = pipeline_snapshot(locked)
    errors: Errors = {}
    locked.name = _text(name, "name", errors)
    _clean(locked, errors, ["position", "is_default", "active"])
    if errors:
        raise ValidationError(errors)
    locked.save(update_fields=["name"])
    _audit_change(actor, locked, before, pipeline_snapshot(locked))
    return locked


@transaction.atomic
def pipeline_make_default(*, actor: User, pipeline: Pipeline) -> Pipeline:
    """Make `pipeline` the one new deals go to.

    Refused for an inactive pipeline ("active") and for one without an active open stage to
    start deals in ("stages").
    """
    _ensure_admin(actor)
    _lock(Pipeline.objects.all())
    locked = Pipeline.objects.get(pk=pipeline.pk)
    if not locked.active:
        raise ValidationError(
            {"active": [_("Reactivate this pipeline before making it the default.")]}
        )
    if locked.is_default:
        return locked
    if not Stage.objects.filter(pipeline=locked, kind=StageKind.OPEN, active=True).exists():
        raise ValidationError(
            {"stages": [_("Add an open stage before making this pipeline the default.")]}
        )
    previous = Pipeline.objects.filter(is_default=True).first()
    if previous is not None:
        previous.is_default = False
        previous.save(update_fields=["is_default"])
        _audit_change(actor, previous, {"is_default": True}, {"is_default": False})
    locked.is_default = True
    locked.save(update_fields=["is_default"])
    _audit_change(actor, locked, {"is_default": False}, {"is_default": True})
    return locked


@transaction.atomic
def pipeline_set_active(*, actor: User, pipeline: Pipeline, active: bool) -> Pipeline:
    """Retire or bring back `pipeline`.

    Refused on the field "active" for the default pipeline (make another one the default
    first) and for a pipeline that still holds open deals, saying how many.
    """
    _ensure_admin(actor)
    locked = _refresh_locked(pipeline)
    if locked.active == active:
        return locked
    if not active:
        if locked.is_default:
            raise ValidationError(
                {"active": [_("This is the default pipeline; make another one the default first.")]}
            )
        open_deals = Deal.objects.filter(pipeline=locked, stage__kind=StageKind.OPEN).count()
        if open_deals:
            raise ValidationError(
                {
                    "active": [
                        ngettext(
                            "%(count)d open deal is in this pipeline; close or move it first.",
                            "%(count)d open deals are in this pipeline; close or move them first.",
                            open_deals,
                        )
                        % {"count": open_deals}
                    ]
                }
            )
    before = pipeline_snapshot(locked)
    locked.active = active
    locked.save(update_fields=["active"])
    _audit_change(actor, locked, before, pipeline_snapshot(locked))
    return locked


@transaction.atomic
def pipeline_move(*, actor: User, pipeline: Pipeline, direction: Direction) -> None:
    """Move `pipeline` one place up or down in the list of pipelines."""
    _ensure_admin(actor)
    _audit_moves(actor, _move(Pipeline.objects.all(), pipeline, direction))


# --- stages -------------------------------------------------------------------------------


def _kind_errors(kind: Any, errors: Errors) -> None:
    if kind not in StageKind.values:
        errors["kind"] = [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(StageKind.values)}]


@transaction.atomic
def stage_create(
    *,
    actor: User,
    pipeline: Pipeline,
    name: str,
    kind: str = StageKind.OPEN,
    probability: int | str | None = None,
    position: int | None = None,
) -> Stage:
    """A stage at the end of `pipeline` (or at `position`); its probability defaults by kind."""
    _ensure_admin(actor)
    errors: Errors = {}
    _kind_errors(kind, errors)
    if probability in (None, ""):
        probability = 100 if kind == StageKind.WON else 0
    chance = _percent(probability, "probability", errors, whole=True)
    siblings = Stage.objects.filter(pipeline=pipeline)
    if position is None:
        _lock(siblings)
        position = _next_position(siblings)
    stage = Stage(
        pipeline=pipeline,
        name=_text(name, "name", errors),
        kind=kind,
        probability=int(chance or 0),
        position=position,
    )
    _clean(stage, errors, ["pipeline"])
    if errors:
        raise ValidationError(errors)
    stage.save()
    audit_record(
        actor=actor, action="create", obj=stage, changes=audit_diff({}, stage_snapshot(stage))
    )
    return stage


def _last_of_kind_error(stage: Stage) -> str | None:
    """Why `stage` cannot stop being an active stage of its kind, or None if it can.

    Each pipeline keeps one active open stage (where deals start) and one active won stage
    (where they end well); the lost stage is optional.
    """
    if not stage.active or stage.kind not in (StageKind.OPEN, StageKind.WON):
        return None
    others = Stage.objects.filter(pipeline_id=stage.pipeline_id, kind=stage.kind, active=True)
    if others.exclude(pk=stage.pk).exists():
        return None
    if stage.kind == StageKind.OPEN:
        return _("This is the pipeline's last open stage; a pipeline needs one to start deals in.")
    return _("This is the pipeline's last won stage; a pipeline needs one to close deals in.")


def _deals_in(stage: Stage) -> int:
    return Deal.objects.filter(stage=stage).count()


@transaction.atomic
def stage_update(*, actor: User, stage: Stage, data: dict[str, Any]) -> Stage:
    """Change the name, kind or default probability present in `data`.

    An empty probability is the kind's default, as in stage_create. The deals in the stage keep their own probability. The kind changes only while no deal is
    in the stage (an open deal would become won without being closed), and never takes away
    the pipeline's last open or won stage. Errors name the field; nothing saved.
    """
    _ensure_admin(actor)
    _lock(Stage.objects.filter(pipeline_id=stage.pipeline_id))
    locked = Stage.objects.get(pk=stage.pk)
    before = stage_snapshot(locked)
    errors: Errors = {}
    if "name" in data:
        locked.name = _text(data["name"], "name", errors)
    kind = data.get("kind", locked.kind)
    if "probability" in data:
        probability = data["probability"]
        if probability in (None, ""):
            probability = 100 if kind == StageKind.WON else 0
        chance = _percent(probability, "probability", errors, whole=True)
        if chance is not None:
            locked.probability = int(chance)
    if kind != locked.kind:
        _kind_errors(kind, errors)
        if "kind" not in errors:
            problem = _last_of_kind_error(locked)
            deals = _deals_in(locked)
            if problem:
                errors["kind"] = [problem]
            elif deals:
                errors["kind"] = [
                    ngettext(
                        "%(count)d deal is in this stage; move it before changing the kind.",
                        "%(count)d deals are in this stage; move them before changing the kind.",
                        deals,
                    )
                    % {"count": deals}
                ]
            else:
                locked.kind = kind
    _clean(locked, errors, ["pipeline", "position", "active"])
    if errors:
        raise ValidationError(errors)
    locked.save(update_fields=["name", "kind", "probability"])
    _audit_change(actor, locked, before, stage_snapshot(locked))
    return locked


@transaction.atomic
def stage_set_active(*, actor: User, stage: Stage, active: bool) -> Stage:
    """Retire or bring back `stage`.

    A retired stage is not offered for moves and leaves the board once it is empty. Refused on
    the field "active" while open deals are in it ("3 open deals are in this stage; move them
    first") or when it is the pipeline's last active open or won stage.
    """
    _ensure_admin(actor)
    _lock(Stage.objects.filter(pipeline_id=stage.pipeline_id))
    locked = Stage.objects.get(pk=stage.pk)
    if locked.active == active:
        return locked
    if not active:
        problem = _last_of_kind_error(locked)
        open_deals = _deals_in(locked) if locked.kind == StageKind.OPEN else 0
        if open_deals:
            problem = ngettext(
                "%(count)d open deal is in this stage; move it first.",
                "%(count)d open deals are in this stage; move them first.",
                open_deals,
            ) % {"count": open_deals}
        if problem:
            raise ValidationError({"active": [problem]})
    before = stage_snapshot(locked)
    locked.active = active
    locked.save(update_fields=["active"])
    _audit_change(actor, locked, before, stage_snapshot(locked))
    return locked


@transaction.atomic
def stage_move(*, actor: User, stage: Stage, direction: Direction) -> None:
    """Move `stage` one place up or down in its pipeline; positions stay unique and in order."""
    _ensure_admin(actor)
    _audit_moves(
        actor, _move(Stage.objects.filter(pipeline_id=stage.pipeline_id), stage, direction)
    )


@transaction.atomic
def stages_reorder(*, actor: User, pipeline: Pipeline, ids: list[int]) -> None:
    """Put the stages of `pipeline` in the order of `ids`, which must name each of them once."""
    _ensure_admin(actor)
    siblings = Stage.objects.filter(pipeline=pipeline)
    _lock(siblings)
    rows = {row.pk: row for row in siblings}
    if len(ids) != len(set(ids)) or set(ids) != set(rows):
        raise ValidationError(
            {"stages": [_("Give every stage of the pipeline once, in the new order.")]}
        )
    _audit_moves(actor, _renumber([rows[pk] for pk in ids]))


# --- lost reasons -------------------------------------------------------------------------


@transaction.atomic
def lost_reason_create(*, actor: User, name: str) -> LostReason:
    """A lost reason offered at the end of the list; names are unique (field "name")."""
    _ensure_admin(actor)
    errors: Errors = {}
    reasons = LostReason.objects.all()
    _lock(reasons)
    reason = LostReason(name=_text(name, "name", errors), position=_next_position(reasons))
    try:
        reason.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    reason.save()
    audit_record(
        actor=actor,
        action="create",
        obj=reason,
        changes=audit_diff({}, lost_reason_snapshot(reason)),
    )
    return reason


@transaction.atomic
def lost_reason_update(*, actor: User, reason: LostReason, name: str) -> LostReason:
    """Rename `reason`; the deals lost for it show the new name."""
    _ensure_admin(actor)
    locked = _refresh_locked(reason)
    before = lost_reason_snapshot(locked)
    errors: Errors = {}
    locked.name = _text(name, "name", errors)
    try:
        locked.full_clean(exclude=["position", "active", *errors])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    locked.save(update_fields=["name"])
    _audit_change(actor, locked, before, lost_reason_snapshot(locked))
    return locked


@transaction.atomic
def lost_reason_set_active(*, actor: User, reason: LostReason, active: bool) -> LostReason:
    """Offer `reason` for lost deals again, or stop offering it (lost deals keep it)."""
    _ensure_admin(actor)
    locked = _refresh_locked(reason)
    if locked.active != active:
        before = lost_reason_snapshot(locked)
        locked.active = active
        locked.save(update_fields=["active"])
        _audit_change(actor, locked, before, lost_reason_snapshot(locked))
    return locked


@transaction.atomic
def lost_reason_move(*, actor: User, reason: LostReason, direction: Direction) -> None:
    """Move `reason` one place up or down in the list offered for lost deals."""
    _ensure_admin(actor)
    _audit_moves(actor, _move(LostReason.objects.all(), reason, direction))
