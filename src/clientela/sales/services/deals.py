"""Services that create, change, move, trash and restore deals."""

import datetime
import functools
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.money import DEFAULT_CURRENCY
from clientela.sales import policy
from clientela.sales.models import (
    Deal,
    DealStageChange,
    LostReason,
    Pipeline,
    Purchase,
    Stage,
    StageKind,
)
from clientela.sales.search import deal_search_index_update
from clientela.sales.services._common import (
    Errors,
    _client,
    _cost,
    _date,
    _discount_checks,
    _ensure_can_write,
    _full_clean,
    _id_or_none,
    _lock,
    _money,
    _percent,
    _restore,
    _text,
    _trash,
)
from clientela.sales.services.purchases import _purchase_create
from clientela.sales.signals import deal_won

logger = logging.getLogger(__name__)


# Set and checked by the services themselves, not by full_clean.
DEAL_EXCLUDED = [
    *("owner", "contact", "company", "pipeline", "stage", "lost_reason", "sort_title"),
    *("discount_percent", "cost"),
]


def deal_snapshot(deal: Deal) -> dict[str, Any]:
    """The deal as a person reads it, for the history: names and plain values."""
    return {
        "title": deal.title,
        "contact": str(deal.contact) if deal.contact_id else None,
        "company": str(deal.company) if deal.company_id else None,
        "value": str(deal.value),
        "currency": deal.currency,
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
        "source": deal.source or None,
        "owner": str(deal.owner) if deal.owner_id else None,
        "pipeline": str(deal.pipeline) if deal.pipeline_id else None,
        "stage": str(deal.stage) if deal.stage_id else None,
        "lost_reason": str(deal.lost_reason) if deal.lost_reason_id else None,
        "probability": deal.probability,
        "discount_percent": (
            str(deal.discount_percent) if deal.discount_percent is not None else None
        ),
        "cost": str(deal.cost) if deal.cost is not None else None,
    }


def _owner(actor: User, record: Deal, data: dict[str, Any], errors: Errors, creating: bool) -> None:
    if "owner" in data or creating:
        owner_id = _id_or_none(data.get("owner") or actor.pk)
        owner = assignable_users(actor).filter(pk=owner_id).first() if owner_id else None
        if owner is None:
            errors["owner"] = [_("You cannot give records to this user.")]
        else:
            record.owner = owner
            record.team_id = owner.team_id


def _apply_deal(*, actor: User, deal: Deal, data: dict[str, Any], creating: bool) -> Errors:
    """Set the plain fields, client and owner of `deal` from `data`; the errors found."""
    data = dict(data)
    errors: Errors = {}
    for field in ("stage", "pipeline"):
        if field in data and not creating:
            errors[field] = [_("Move the deal to change its stage.")]
    if "title" in data or creating:
        deal.title = _text(data.get("title"), "title", errors)
        if not deal.title and "title" not in errors:
            errors["title"] = [_("This field is required.")]
    for field in ("source",):
        if field in data:
            setattr(deal, field, _text(data[field], field, errors))
    _money(data, errors, "value")
    for field in ("value", "currency"):
        if field in data and field not in errors:
            setattr(deal, field, data[field])
    if "expected_close" in data:
        deal.expected_close = _date(data["expected_close"], "expected_close", errors)
    if "probability" in data:
        chance = _percent(data["probability"], "probability", errors, whole=True)
        if chance is not None:
            deal.probability = int(chance)
    if "discount_percent" in data:
        deal.discount_percent = _percent(
            data["discount_percent"], "discount_percent", errors, whole=False
        )
    _cost(data, deal, errors)
    _client(actor, deal, data, errors)
    _owner(actor, deal, data, errors, creating)
    deal.sort_title = deal.title.lower()[:200]
    return errors


def _default_pipeline() -> Pipeline | None:
    return Pipeline.objects.filter(active=True).order_by("-is_default", "position", "id").first()


def _lost_reason(value: Any, errors: Errors, field: str = "lost_reason") -> LostReason | None:
    pk = _id_or_none(value)
    reason = LostReason.objects.filter(pk=pk, active=True).first() if pk else None
    if reason is None:
        errors[field] = [
            _("Choose why the deal was lost.")
            if value in (None, "")
            else _("There is no such lost reason.")
        ]
    return reason


@transaction.atomic
def deal_create(*, actor: User, data: dict[str, Any]) -> Deal:
    """A new deal owned by `data["owner"]` (default: actor).

    The pipeline defaults to the default pipeline and the stage to its first open stage; the
    probability to the stage's. Raises ValidationError naming each bad field; nothing saved.
    """
    _ensure_can_write(actor)
    deal = Deal(currency=DEFAULT_CURRENCY)
    errors = _apply_deal(actor=actor, deal=deal, data=data, creating=True)
    pipeline = None
    if data.get("pipeline") not in (None, ""):
        pk = _id_or_none(data["pipeline"])
        pipeline = Pipeline.objects.filter(pk=pk).first() if pk else None
        if pipeline is None:
            errors["pipeline"] = [_("There is no such pipeline.")]
        elif not pipeline.active:
            errors["pipeline"] = [_("This pipeline is no longer in use.")]
            pipeline = None
    else:
        pipeline = _default_pipeline()
        if pipeline is None:
            errors["pipeline"] = [_("There is no pipeline yet; an administrator creates one.")]
    stage = None
    if pipeline is not None:
        stages = Stage.objects.filter(pipeline=pipeline)
        if data.get("stage") not in (None, ""):
            stage = stages.filter(pk=_id_or_none(data["stage"]) or 0).first()
            if stage is None:
                errors["stage"] = [_("This stage is not in the deal's pipeline.")]
            elif not stage.active:
                errors["stage"] = [_("This stage is no longer in use.")]
                stage = None
        else:
            stages = stages.filter(kind=StageKind.OPEN, active=True)
            stage = stages.order_by("position", "id").first()
            if stage is None:
                errors["stage"] = [_("The pipeline has no open stage.")]
    if stage is not None:
        deal.pipeline, deal.stage = pipeline, stage  # type: ignore[assignment]
        if "probability" not in data:
            deal.probability = stage.probability
        if stage.kind == StageKind.LOST:
            deal.lost_reason = _lost_reason(data.get("lost_reason"), errors)
        elif data.get("lost_reason") not in (None, ""):
            errors["lost_reason"] = [_("Only a lost deal has a lost reason.")]
        deal.closed_at = timezone.now() if stage.is_closed else None
    _full_clean(deal, errors, DEAL_EXCLUDED)
    if errors:
        raise ValidationError(errors)
    after = _discount_checks(actor=actor, record=deal, amount=deal.value, before=None)
    deal.stage_changed_at = timezone.now()
    deal.save()
    for done in after:
        done()
    DealStageChange.objects.create(
        deal=deal, from_stage=None, to_stage=deal.stage, at=deal.stage_changed_at, actor=actor
    )
    deal_search_index_update(deal)
    audit_record(
        actor=actor, action="create", obj=deal, changes=audit_diff({}, deal_snapshot(deal))
    )
    return deal


def _locked_deal(actor: User, deal: Deal) -> Deal:
    # Lock the row so two changes of one deal run one after the other, never interleaved.
    # Only a live deal the actor may see can change, whatever the caller looked it up with.
    visible = Deal.objects.visible_to(actor).filter(pk=deal.pk)
    _lock(visible)
    locked = visible.select_related(
        "pipeline", "stage", "owner", "contact", "company", "lost_reason"
    ).first()
    if locked is None:
        raise Http404
    return locked


@transaction.atomic
def deal_update(
    *,
    actor: User,
    deal: Deal,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Deal:
    """Change the fields present in `data` (not the stage: see deal_move_stage).

    Refuses with EditConflict if the deal changed since `expected_updated_at`.
    """
    _ensure_can_write(actor)
    locked = _locked_deal(actor, deal)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this deal while you were editing it."))
    before = deal_snapshot(locked)
    checked = policy.discount_fields(locked, "value")
    errors = _apply_deal(actor=actor, deal=locked, data=data, creating=False)
    if "lost_reason" in data:
        if locked.stage.kind == StageKind.LOST:
            locked.lost_reason = _lost_reason(data["lost_reason"], errors)
        elif data["lost_reason"] not in (None, ""):
            errors["lost_reason"] = [_("Only a lost deal has a lost reason.")]
    _full_clean(locked, errors, DEAL_EXCLUDED)
    if errors:
        raise ValidationError(errors)
    after = _discount_checks(actor=actor, record=locked, amount=locked.value, before=checked)
    locked.save()
    for done in after:
        done()
    deal_search_index_update(locked)
    changes = audit_diff(before, deal_snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def deal_move_stage(
    *,
    deal: Deal,
    stage: Stage | int,
    actor: User,
    lost_reason: LostReason | int | None = None,
    expected_stage: Stage | int | None = None,
    purchase: dict[str, Any] | None = None,
) -> Deal:
    """Move `deal` to `stage` of its pipeline, recording who moved it and when.

    - `expected_stage` is the stage the mover saw (default: `deal.stage` as passed in). If the
      deal is elsewhere by now — someone moved it first — EditConflict, nothing saved; the
      row is locked for the check, so two movers at once are served one after the other.
    - A stage of another pipeline is refused on the field "stage"; a lost stage needs an active
      `lost_reason` (field "lost_reason"). Won and lost set `closed_at`; an open stage clears
      it and the lost reason. The probability becomes the stage's.
    - Won with `purchase` (date, amount, currency, description, discount_percent; amount and
      currency default to the deal's, the date to today) creates that Purchase in the same
      transaction; its errors are named "purchase.<field>".
    - After the commit of a move to a won stage, `signals.deal_won` is sent.
    """
    _ensure_can_write(actor)
    expected_id = _id_or_none(expected_stage) if expected_stage is not None else deal.stage_id
    locked = _locked_deal(actor, deal)
    if locked.stage_id != expected_id:
        raise EditConflict(
            _("Someone else moved this deal to “%(stage)s” first.") % {"stage": locked.stage}
        )
    errors: Errors = {}
    target = Stage.objects.filter(pk=_id_or_none(stage) or 0).first()
    if target is None or target.pipeline_id != locked.pipeline_id:
        errors["stage"] = [_("This stage is not in the deal's pipeline.")]
        raise ValidationError(errors)
    if not target.active and target.pk != locked.stage_id:
        raise ValidationError({"stage": [_("This stage is no longer in use.")]})
    reason = None
    if target.kind == StageKind.LOST:
        reason = _lost_reason(lost_reason, errors)
    elif lost_reason not in (None, ""):
        errors["lost_reason"] = [_("Only a lost deal has a lost reason.")]
    if purchase is not None and target.kind != StageKind.WON:
        errors["purchase"] = [_("Only a won deal records a purchase.")]
    if errors:
        raise ValidationError(errors)
    if target.pk == locked.stage_id and reason == locked.lost_reason and purchase is None:
        return locked
    before = deal_snapshot(locked)
    now = timezone.now()
    from_stage = locked.stage
    locked.stage = target
    locked.lost_reason = reason
    locked.probability = target.probability
    locked.closed_at = now if target.is_closed else None
    locked.stage_changed_at = now
    locked.save(
        update_fields=[
            "stage", "lost_reason", "probability", "closed_at", "stage_changed_at", "updated_at",
        ]
    )  # fmt: skip
    if from_stage.pk != target.pk:
        DealStageChange.objects.create(
            deal=locked, from_stage=from_stage, to_stage=target, at=now, actor=actor
        )
    created = None
    if purchase is not None:
        details: dict[str, Any] = {
            "contact": locked.contact_id,
            "company": locked.company_id,
            "deal": locked.pk,
            "amount": locked.value,
            "currency": locked.currency,
            "date": timezone.localdate(),
        }
        details |= purchase
        created = _purchase_create(actor=actor, data=details, prefix="purchase.")
    audit_record(
        actor=actor, action="update", obj=locked, changes=audit_diff(before, deal_snapshot(locked))
    )
    if target.kind == StageKind.WON and from_stage.kind != StageKind.WON:
        transaction.on_commit(
            functools.partial(_send_deal_won, deal=locked, actor=actor, purchase=created)
        )
    return locked


def _send_deal_won(*, deal: Deal, actor: User, purchase: Purchase | None) -> None:
    # After the commit the win stands whatever a receiver does: a receiver's error is logged,
    # not turned into a failed request for a deal that is already won.
    for receiver, result in deal_won.send_robust(
        sender=Deal, deal=deal, actor=actor, purchase=purchase
    ):
        if isinstance(result, Exception):
            logger.error("deal_won receiver %r failed", receiver, exc_info=result)


@transaction.atomic
def deal_delete(*, actor: User, deal: Deal) -> None:
    """Move to the trash; the owner or an administrator can restore it."""
    _trash(actor=actor, record=deal)


@transaction.atomic
def deal_restore(*, actor: User, deal: Deal) -> None:
    _restore(actor=actor, record=deal)
