"""Every change to the discount policy and to discount requests: checked, audited, atomic.

- `policy_save`, `segment_rule_create`, `segment_rule_delete`: administrators only.
- `request_create`: a writer asks for a discount above their limit (or a margin below the
  floor) on a deal or purchase of a client they see; the team's leads are emailed.
- `request_approve` / `request_reject`: a lead of the requester's team (not the requester)
  or an administrator decides a pending request; the requester is emailed.
- `request_cancel`: the requester withdraws a pending or approved, unused request.
Status changes are audited as changes of "status" (core.audit).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.contacts.models import Company, Contact, Lifecycle, Tag
from clientela.core.audit import audit_diff, audit_record
from clientela.core.money import clean_amount, clean_currency
from clientela.retention.discounts import notify
from clientela.retention.discounts.limits import (
    below_floor,
    limit_for,
    policy_current,
    show,
)
from clientela.retention.discounts.models import (
    DiscountPolicy,
    DiscountRequest,
    RequestStatus,
    RequestSubject,
    SegmentRule,
)
from clientela.sales.models import Deal, Purchase

Errors = dict[str, list[str]]
POLICY_FIELDS = (
    "manager_max_percent",
    "lead_max_percent",
    "admin_max_percent",
    "margin_floor_percent",
)


def _ensure_admin(actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator sets the discount policy."))


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _pk(value: Any) -> int | None:
    value = getattr(value, "pk", value)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def clean_percent(value: Any, field: str, errors: Errors, *, required: bool) -> Decimal | None:
    """A percentage 0–100 with at most two places ("7,5" is 7.5); None if empty."""
    if value in (None, ""):
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except ArithmeticError:
        number = None
    if number is None or isinstance(value, bool) or not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return None
    if not 0 <= number <= 100:
        errors[field] = [_("Enter a percentage from 0 to 100.")]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = [_("Use at most two decimal places.")]
        return None
    return number


# --- the policy ---------------------------------------------------------------------------


def policy_snapshot(policy: DiscountPolicy) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        field: (str(getattr(policy, field)) if getattr(policy, field) is not None else None)
        for field in POLICY_FIELDS
    }
    snapshot["approval_days"] = policy.approval_days
    return snapshot


@transaction.atomic
def policy_save(*, actor: User, data: dict[str, Any]) -> DiscountPolicy:
    """Set the fields of the policy present in `data` (creating it: limits start to apply)."""
    _ensure_admin(actor)
    policy = DiscountPolicy.objects.select_for_update().filter(pk=1).first()
    creating = policy is None
    if policy is None:
        policy = DiscountPolicy()
    before = {} if creating else policy_snapshot(policy)
    errors: Errors = {}
    for field in POLICY_FIELDS:
        if field in data:
            setattr(policy, field, clean_percent(data[field], field, errors, required=False))
    if "approval_days" in data:
        days = _pk(data["approval_days"])
        if days is None or not 1 <= days <= 365:
            errors["approval_days"] = [_("Enter a number of days from 1 to 365.")]
        else:
            policy.approval_days = days
    if errors:
        raise ValidationError(errors)
    policy.updated_by = actor
    policy.save()
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        obj=policy,
        changes=audit_diff(before, policy_snapshot(policy)),
    )
    return policy


@transaction.atomic
def segment_rule_create(*, actor: User, data: dict[str, Any]) -> SegmentRule:
    """A rule for a contact stage and/or a tag; at least one of them."""
    _ensure_admin(actor)
    errors: Errors = {}
    lifecycle = str(data.get("lifecycle") or "")
    if lifecycle and lifecycle not in Lifecycle.values:
        errors["lifecycle"] = [_("There is no such stage.")]
    tag = None
    if data.get("tag") not in (None, ""):
        tag = Tag.objects.filter(pk=_pk(data["tag"]) or 0).first()
        if tag is None:
            errors["tag"] = [_("There is no such tag.")]
    if not lifecycle and tag is None and not errors:
        errors["lifecycle"] = [_("Choose a stage, a tag or both.")]
    percent = clean_percent(data.get("max_percent"), "max_percent", errors, required=True)
    if errors:
        raise ValidationError(errors)
    assert percent is not None
    rule = SegmentRule.objects.create(lifecycle=lifecycle, tag=tag, max_percent=percent)
    audit_record(actor=actor, action="create", obj=rule, changes={"rule": [None, str(rule)]})
    return rule


@transaction.atomic
def segment_rule_delete(*, actor: User, rule: SegmentRule) -> None:
    _ensure_admin(actor)
    audit_record(actor=actor, action="delete", obj=rule, changes={"rule": [str(rule), None]})
    rule.delete()


# --- requests -----------------------------------------------------------------------------


def request_snapshot(request: DiscountRequest) -> dict[str, Any]:
    return {
        "status": request.get_status_display(),
        "discount_percent": show(request.discount_percent),
        "amount": str(request.amount),
        "cost": str(request.cost) if request.cost is not None else None,
        "currency": request.currency,
        "decided_by": str(request.decided_by) if request.decided_by_id else None,
        "decision_note": request.decision_note or None,
        "valid_until": request.valid_until.isoformat() if request.valid_until else None,
        "deal": str(request.deal) if request.deal_id else None,
        "purchase": str(request.purchase) if request.purchase_id else None,
    }


def _record(
    actor: User, subject: str, data: dict[str, Any], errors: Errors
) -> Deal | Purchase | None:
    """The deal or purchase the request is for, if named: one the actor sees."""
    model: type[Deal] | type[Purchase] = Deal if subject == RequestSubject.DEAL else Purchase
    raw = data.get(subject)
    if raw in (None, ""):
        return None
    found = model.objects.visible_to(actor).filter(pk=_pk(raw) or 0).first()
    if found is None:
        errors[subject] = [
            _("There is no such deal.") if model is Deal else _("There is no such purchase.")
        ]
    return found


def _client(actor: User, data: dict[str, Any], errors: Errors) -> tuple[Any, Any]:
    contact = company = None
    if data.get("contact") not in (None, ""):
        contact = Contact.objects.visible_to(actor).filter(pk=_pk(data["contact"]) or 0).first()
        if contact is None:
            errors["contact"] = [_("There is no such contact.")]
    if data.get("company") not in (None, ""):
        company = Company.objects.visible_to(actor).filter(pk=_pk(data["company"]) or 0).first()
        if company is None:
            errors["company"] = [_("There is no such company.")]
    return contact, company


@transaction.atomic
def request_create(*, actor: User, data: dict[str, Any]) -> DiscountRequest:
    """File a request for `data["subject"]` ("deal" or "purchase"): the deal or purchase (or,
    for one not saved yet, its client, and for a purchase the deal it closes), the discount,
    the price after it, the cost and a reason.

    Refused, naming the field, when the values are within the actor's limit and above the
    margin floor (nothing to approve), or when no policy is set.
    """
    _ensure_can_write(actor)
    errors: Errors = {}
    subject = str(data.get("subject") or "")
    if subject not in RequestSubject.values:
        raise ValidationError({"subject": [_("Say whether it is for a deal or a purchase.")]})
    record = _record(actor, subject, data, errors)
    contact, company = _client(actor, data, errors)
    deal: Deal | None = None
    if subject == RequestSubject.PURCHASE:
        found = _record(actor, RequestSubject.DEAL, data, errors)
        deal = found if isinstance(found, Deal) else None
    elif isinstance(record, Deal):
        deal = record
    if record is not None:
        contact, company = record.contact, record.company
    elif deal is not None and contact is None and company is None:
        contact, company = deal.contact, deal.company
    if contact is None and company is None and not errors:
        errors["contact"] = [_("Give a contact, a company or both.")]
    percent = clean_percent(data.get("discount_percent"), "discount_percent", errors, required=True)
    amount = cost = None
    try:
        amount = clean_amount(data.get("amount"))
    except ValidationError as exc:
        errors["amount"] = exc.messages
    if data.get("cost") not in (None, ""):
        try:
            cost = clean_amount(data["cost"])
        except ValidationError as exc:
            errors["cost"] = exc.messages
    currency = ""
    try:
        currency = clean_currency(data.get("currency") or (record.currency if record else "UAH"))
    except ValidationError as exc:
        errors["currency"] = exc.messages
    reason = str(data.get("reason") or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the client should get this discount.")]
    elif "\x00" in reason:
        errors["reason"] = [_("Null characters are not allowed.")]
    if errors:
        raise ValidationError(errors)
    assert percent is not None
    assert amount is not None
    policy = policy_current()
    if policy is None:
        raise ValidationError(
            {"discount_percent": [_("There is no discount policy yet: no approval is needed.")]}
        )
    lifecycle = contact.lifecycle if contact is not None else ""
    limit = limit_for(
        policy, actor, contact.pk if contact else None, company.pk if company else None, lifecycle
    ).applies
    over = limit is not None and percent > limit
    if not over and not below_floor(policy.margin_floor_percent, amount, cost):
        raise ValidationError(
            {"discount_percent": [_("This is within your limit: no approval is needed.")]}
        )
    request = DiscountRequest.objects.create(
        requested_by=actor,
        team_id=actor.team_id,
        subject=subject,
        contact=contact,
        company=company,
        deal=deal,
        purchase=record if isinstance(record, Purchase) else None,
        discount_percent=percent,
        amount=amount,
        cost=cost,
        currency=currency,
        limit_percent=limit,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="create",
        obj=request,
        changes=audit_diff({}, {**request_snapshot(request), "reason": reason}),
    )
    notify.notify_filed(request)
    return request


def can_decide(user: User, request: DiscountRequest) -> bool:
    """A lead of the requester's team or an administrator; never the requester."""
    if not user.is_active or user.pk == request.requested_by_id:
        return False
    if user.is_admin:
        return True
    return user.role == Role.LEAD and user.team_id is not None and user.team_id == request.team_id


def _locked(actor: User, request: DiscountRequest) -> DiscountRequest:
    visible = DiscountRequest.objects.visible_to(actor).filter(pk=request.pk)
    list(visible.select_for_update().values_list("pk", flat=True))
    found = visible.select_related("requested_by", "contact", "company", "deal", "purchase").first()
    if found is None:
        raise Http404
    return found


def _decide(*, actor: User, request: DiscountRequest, status: str, note: str) -> DiscountRequest:
    locked = _locked(actor, request)
    if not can_decide(actor, locked):
        raise PermissionDenied(
            _("Only a lead of the requester's team or an administrator decides this request.")
        )
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(
            {"status": [_("This request was already decided: %(status)s.") % {
                "status": locked.get_status_display()
            }]}
        )  # fmt: skip
    note = str(note or "").strip()
    if "\x00" in note:
        raise ValidationError({"decision_note": [_("Null characters are not allowed.")]})
    before = request_snapshot(locked)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    if status == RequestStatus.APPROVED:
        policy = policy_current()
        days = policy.approval_days if policy is not None else 14
        locked.valid_until = timezone.localdate() + datetime.timedelta(days=days)
    locked.save()
    audit_record(
        actor=actor,
        action="update",
        obj=locked,
        changes=audit_diff(before, request_snapshot(locked)),
    )
    notify.notify_decided(locked)
    return locked


@transaction.atomic
def request_approve(*, actor: User, request: DiscountRequest, note: str = "") -> DiscountRequest:
    """Approve a pending request: the deal or purchase may be saved once with up to its
    discount (and down to its margin) until `valid_until`."""
    return _decide(actor=actor, request=request, status=RequestStatus.APPROVED, note=note)


@transaction.atomic
def request_reject(*, actor: User, request: DiscountRequest, note: str = "") -> DiscountRequest:
    return _decide(actor=actor, request=request, status=RequestStatus.REJECTED, note=note)


@transaction.atomic
def request_cancel(*, actor: User, request: DiscountRequest) -> DiscountRequest:
    """The requester withdraws a request that is pending or approved and not used yet."""
    _ensure_can_write(actor)
    locked = _locked(actor, request)
    if locked.requested_by_id != actor.pk:
        raise PermissionDenied(_("Only the requester cancels a request."))
    if locked.status not in (RequestStatus.PENDING, RequestStatus.APPROVED):
        raise ValidationError(
            {"status": [_("Only a pending or approved request can be cancelled.")]}
        )
    before = request_snapshot(locked)
    locked.status = RequestStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=locked,
        changes=audit_diff(before, request_snapshot(locked)),
    )
    return locked
