"""Every change to pipelines, deals and purchases: validated, audited, in one transaction.

Each service checks the actor's right to write, refuses bad values with a ValidationError
keyed by the field (nothing saved), records the change in the audit history and keeps the
owner's team and the deal search index in step.
"""

import datetime
import functools
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.money import DEFAULT_CURRENCY, clean_amount, clean_currency
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
from clientela.sales.signals import deal_won

logger = logging.getLogger(__name__)

Errors = dict[str, list[str]]


# --- shared mechanics -------------------------------------------------------------------------


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _ensure_admin(actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator configures pipelines."))


def _id_or_none(value: Any) -> int | None:
    """A primary key from an id, a numeric string or a model instance; None if it is none."""
    value = getattr(value, "pk", value)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any, field: str, errors: Errors) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; say so instead of failing with a 500.
        errors[field] = [_("Null characters are not allowed.")]
    return text


def _date(value: Any, field: str, errors: Errors) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _percent(value: Any, field: str, errors: Errors, *, whole: bool) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool) or (whole and Decimal(str(value)) % 1):
            raise InvalidOperation
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a whole number.") if whole else _("Enter a number.")]
        return None
    if not 0 <= number <= 100:
        errors[field] = [_("Enter a percentage from 0 to 100.")]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = [_("Use at most two decimal places.")]
        return None
    return number


def _money(data: dict[str, Any], errors: Errors, amount_field: str, prefix: str = "") -> None:
    """Replace the amount and currency in `data` by their clean values, or note the errors."""
    if amount_field in data:
        try:
            data[amount_field] = clean_amount(data[amount_field])
        except ValidationError as exc:
            errors[prefix + amount_field] = exc.messages
    if "currency" in data:
        try:
            data["currency"] = clean_currency(data["currency"])
        except ValidationError as exc:
            errors[prefix + "currency"] = exc.messages


def _client(
    actor: User, record: Deal | Purchase, data: dict[str, Any], errors: Errors, prefix: str = ""
) -> None:
    """Set the contact and company of `record` from `data`: visible to the actor, one at least."""
    for field, model in (("contact", Contact), ("company", Company)):
        if field not in data:
            continue
        raw = data[field]
        if raw in (None, ""):
            setattr(record, field, None)
            continue
        pk = _id_or_none(raw)
        found = model.objects.visible_to(actor).filter(pk=pk).first() if pk else None
        if found is None:
            errors[prefix + field] = [
                _("There is no such contact.")
                if model is Contact
                else _("There is no such company.")
            ]
        else:
            setattr(record, field, found)
    named = {prefix + "contact", prefix + "company"} & errors.keys()
    if record.contact_id is None and record.company_id is None and not named:
        errors[prefix + "contact"] = [_("Give a contact, a company or both.")]


def _full_clean(record: Deal | Purchase, errors: Errors, exclude: list[str]) -> None:
    try:
        record.full_clean(exclude=[*exclude, *errors.keys()], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _trash(*, actor: User, record: Deal | Purchase) -> None:
    _ensure_can_write(actor)
    if record.deleted_at is None:
        if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
            raise Http404
        record.deleted_at = timezone.now()
        record.deleted_by = actor
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="delete", obj=record)


def _restore(*, actor: User, record: Deal | Purchase) -> None:
    if not (actor.is_admin or (record.owner_id == actor.pk and actor.can_write)):
        raise PermissionDenied(_("Only the owner or an administrator can restore this record."))
    if record.deleted_at is not None:
        record.deleted_at = None
        record.deleted_by = None
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="restore", obj=record)


# --- pipelines, stages, lost reasons ----------------------------------------------------------


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


# --- deals ------------------------------------------------------------------------------------

# Set and checked by the services themselves, not by full_clean.
DEAL_EXCLUDED = ["owner", "contact", "company", "pipeline", "stage", "lost_reason", "sort_title"]


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
    _client(actor, deal, data, errors)
    _owner(actor, deal, data, errors, creating)
    deal.sort_title = deal.title.lower()[:200]
    return errors


def _default_pipeline() -> Pipeline | None:
    return Pipeline.objects.order_by("-is_default", "position", "id").first()


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
        else:
            stage = stages.filter(kind=StageKind.OPEN).order_by("position", "id").first()
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
    deal.stage_changed_at = timezone.now()
    deal.save()
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


def _lock(queryset: Any) -> None:
    """Lock the rows of `queryset` until the transaction ends (waiting for other writers).

    The lock is taken without joins: PostgreSQL re-checks a row updated by the writer it
    waited for against the joined rows it had read before, so a deal just moved to another
    stage would no longer match its old stage's row and vanish from the answer.
    """
    list(queryset.select_for_update().values_list("pk", flat=True))


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
    errors = _apply_deal(actor=actor, deal=locked, data=data, creating=False)
    if "lost_reason" in data:
        if locked.stage.kind == StageKind.LOST:
            locked.lost_reason = _lost_reason(data["lost_reason"], errors)
        elif data["lost_reason"] not in (None, ""):
            errors["lost_reason"] = [_("Only a lost deal has a lost reason.")]
    _full_clean(locked, errors, DEAL_EXCLUDED)
    if errors:
        raise ValidationError(errors)
    locked.save()
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


# --- purchases --------------------------------------------------------------------------------


def purchase_snapshot(purchase: Purchase) -> dict[str, Any]:
    return {
        "contact": str(purchase.contact) if purchase.contact_id else None,
        "company": str(purchase.company) if purchase.company_id else None,
        "deal": str(purchase.deal) if purchase.deal_id else None,
        "date": purchase.date.isoformat() if purchase.date else None,
        "amount": str(purchase.amount) if purchase.amount is not None else None,
        "currency": purchase.currency,
        "description": purchase.description or None,
        "discount_percent": (
            str(purchase.discount_percent) if purchase.discount_percent is not None else None
        ),
        "owner": str(purchase.owner) if purchase.owner_id else None,
    }


def _apply_purchase(
    *, actor: User, purchase: Purchase, data: dict[str, Any], creating: bool, prefix: str = ""
) -> Errors:
    data = dict(data)
    errors: Errors = {}
    if "deal" in data:
        pk = _id_or_none(data["deal"])
        deal = Deal.objects.visible_to(actor).filter(pk=pk).first() if pk else None
        if data["deal"] not in (None, "") and deal is None:
            errors[prefix + "deal"] = [_("There is no such deal.")]
        purchase.deal = deal
        if deal is not None and creating and "contact" not in data and "company" not in data:
            data |= {"contact": deal.contact_id, "company": deal.company_id}
    client_before = (purchase.contact_id, purchase.company_id)
    _client(actor, purchase, data, errors, prefix)
    if (purchase.contact_id, purchase.company_id) != client_before or creating:
        # The purchase is seen by whoever sees its client.
        client = purchase.contact or purchase.company
        if client is not None:
            purchase.owner_id = client.owner_id
            purchase.team_id = client.team_id
    if "date" in data or creating:
        day = _date(data.get("date"), prefix + "date", errors)
        if day is None and prefix + "date" not in errors:
            errors[prefix + "date"] = [_("This field is required.")]
        elif day is not None and day > timezone.localdate():
            errors[prefix + "date"] = [_("A purchase cannot be dated in the future.")]
        else:
            purchase.date = day  # type: ignore[assignment]
    if creating and "amount" not in data:
        errors[prefix + "amount"] = [_("This field is required.")]
    _money(data, errors, "amount", prefix)
    for field in ("amount", "currency"):
        if field in data and prefix + field not in errors:
            setattr(purchase, field, data[field])
    if "description" in data:
        purchase.description = _text(data["description"], prefix + "description", errors)
    if "discount_percent" in data:
        field = prefix + "discount_percent"
        purchase.discount_percent = _percent(data["discount_percent"], field, errors, whole=False)
    try:
        purchase.full_clean(
            exclude=["owner", "contact", "company", "deal", "date", "amount", "discount_percent"]
            + [key.removeprefix(prefix) for key in errors],
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(prefix + field, []).extend(messages)
    return errors


def _purchase_create(*, actor: User, data: dict[str, Any], prefix: str = "") -> Purchase:
    purchase = Purchase(currency=DEFAULT_CURRENCY)
    errors = _apply_purchase(
        actor=actor, purchase=purchase, data=data, creating=True, prefix=prefix
    )
    if errors:
        raise ValidationError(errors)
    purchase.save()
    audit_record(
        actor=actor,
        action="create",
        obj=purchase,
        changes=audit_diff({}, purchase_snapshot(purchase)),
    )
    return purchase


@transaction.atomic
def purchase_create(*, actor: User, data: dict[str, Any]) -> Purchase:
    """A purchase of a contact and/or company the actor sees (or of the client of `data["deal"]`).

    Owner and team are copied from the client (its contact, else its company). Raises
    ValidationError naming each bad field (negative amount, unknown currency, a date in the
    future, no client); nothing saved.
    """
    _ensure_can_write(actor)
    return _purchase_create(actor=actor, data=data)


@transaction.atomic
def purchase_update(
    *,
    actor: User,
    purchase: Purchase,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Purchase:
    """Change the fields present in `data`; refuses with EditConflict if the record moved on."""
    _ensure_can_write(actor)
    visible = Purchase.objects.visible_to(actor).filter(pk=purchase.pk)
    _lock(visible)
    locked = visible.select_related("contact", "company", "deal", "owner").first()
    if locked is None:
        raise Http404
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this purchase while you were editing it."))
    before = purchase_snapshot(locked)
    errors = _apply_purchase(actor=actor, purchase=locked, data=data, creating=False)
    if errors:
        raise ValidationError(errors)
    locked.save()
    changes = audit_diff(before, purchase_snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def purchase_delete(*, actor: User, purchase: Purchase) -> None:
    _trash(actor=actor, record=purchase)


@transaction.atomic
def purchase_restore(*, actor: User, purchase: Purchase) -> None:
    _restore(actor=actor, record=purchase)
