"""Services that configure pipelines, their stages and the lost reasons (administrators only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.core.audit import audit_record
from clientela.sales.models import LostReason, Pipeline, Stage, StageKind
from clientela.sales.services._common import Errors, _ensure_admin, _percent, _text


@transaction.atomic
def pipeline_create(
    *, actor: User, name: str, position: int | None = None, is_default: bool = False
) -> Pipeline:
    """A new pipeline (administrators only); the first one, or `is_default`, becomes the default."""
    _ensure_admin(actor)
    errors: Errors = {}
    pipeline = Pipeline(name=_text(name, "name", errors))
    if position is None:
        position = Pipeline.objects.count()
    pipeline.position = position
    pipeline.is_default = is_default or not Pipeline.objects.exists()
    try:
        pipeline.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if pipeline.is_default:
        Pipeline.objects.filter(is_default=True).update(is_default=False)
    pipeline.save()
    audit_record(actor=actor, action="create", obj=pipeline)
    return pipeline


@transaction.atomic
def stage_create(
    *,
    actor: User,
    pipeline: Pipeline,
    name: str,
    kind: str = StageKind.OPEN,
    probability: int | None = None,
    position: int | None = None,
) -> Stage:
    """A stage at the end of `pipeline` (or at `position`); its probability defaults by kind."""
    _ensure_admin(actor)
    errors: Errors = {}
    if kind not in StageKind.values:
        errors["kind"] = [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(StageKind.values)}]
    if probability is None:
        probability = 100 if kind == StageKind.WON else 0
    chance = _percent(probability, "probability", errors, whole=True)
    stage = Stage(
        pipeline=pipeline,
        name=_text(name, "name", errors),
        kind=kind,
        probability=int(chance or 0),
        position=pipeline.stages.count() if position is None else position,
    )
    try:
        stage.full_clean(exclude=["pipeline", *errors], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stage.save()
    audit_record(actor=actor, action="create", obj=stage)
    return stage


@transaction.atomic
def lost_reason_create(*, actor: User, name: str) -> LostReason:
    _ensure_admin(actor)
    errors: Errors = {}
    reason = LostReason(name=_text(name, "name", errors), position=LostReason.objects.count())
    try:
        reason.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    reason.save()
    audit_record(actor=actor, action="create", obj=reason)
    return reason
