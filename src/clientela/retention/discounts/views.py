"""Discount policy pages: settings (administrators), requests and their decisions, the report.

Each view parses, calls one service or selector and renders; what a user may not see is 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.contacts.views.common import bad_request, current_user, require_writer
from clientela.retention.discounts import selectors, services
from clientela.retention.discounts.forms import (
    DecisionForm,
    PeriodForm,
    PolicyForm,
    RequestForm,
    RuleForm,
)
from clientela.retention.discounts.limits import policy_current, show
from clientela.retention.discounts.models import DiscountPolicy, RequestStatus, SegmentRule
from clientela.sales.models import Deal, Purchase

# --- policy settings ----------------------------------------------------------------------


def _policy_initial(policy: DiscountPolicy) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: show(getattr(policy, name)) if getattr(policy, name) is not None else ""
        for name in services.POLICY_FIELDS
    }
    initial["approval_days"] = policy.approval_days
    return initial


@login_required
def policy_settings(request: HttpRequest) -> HttpResponse:
    """The policy and its segment rules; administrators only (others: 403)."""
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator sets the discount policy."))
    saved = policy_current()
    policy_form = PolicyForm(initial=_policy_initial(saved or DiscountPolicy()))
    rule_form = RuleForm()
    if request.method == "POST" and request.POST.get("form") == "rule":
        rule_form = RuleForm(request.POST)
        if rule_form.is_valid():
            try:
                rule = services.segment_rule_create(actor=user, data=rule_form.cleaned_data)
            except ValidationError as exc:
                rule_form.add_service_errors(exc)
            else:
                messages.success(request, _("Rule added: %(rule)s.") % {"rule": rule})
                return redirect("discounts:policy")
    elif request.method == "POST":
        policy_form = PolicyForm(request.POST)
        if policy_form.is_valid():
            try:
                services.policy_save(actor=user, data=policy_form.cleaned_data)
            except ValidationError as exc:
                policy_form.add_service_errors(exc)
            else:
                messages.success(request, _("Discount policy saved."))
                return redirect("discounts:policy")
    return render(
        request,
        "discounts/policy.html",
        {
            "policy": saved,
            "policy_form": policy_form,
            "rule_form": rule_form,
            "rules": selectors.segment_rules(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator sets the discount policy."))
    rule = get_object_or_404(SegmentRule, pk=pk)
    services.segment_rule_delete(actor=user, rule=rule)
    messages.success(request, _("Rule removed."))
    return redirect("discounts:policy")


# --- requests -----------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    status = request.GET.get("status", "")
    try:
        lists = selectors.request_list(user, status)
    except ValidationError as exc:
        return bad_request(request, exc)
    return render(
        request,
        "discounts/request_list.html",
        {
            "lists": lists,
            "status": status,
            "status_options": [("", _("Any status")), *RequestStatus.choices],
            "decision_form": DecisionForm(),
        },
    )


def _id_in(text: Any) -> str:
    """An id from "12" or from a client box's "Name #12"."""
    text = str(text or "").strip()
    _name, _sep, number = text.rpartition("#")
    return number if number.isdigit() else ""


def _from_sales_form(post: Any) -> dict[str, Any]:
    """The values a refused deal or purchase form sent along with "Ask a lead to approve"."""
    subject = post.get("subject", "")
    initial = {
        "subject": subject,
        "contact": _id_in(post.get("contact")),
        "company": _id_in(post.get("company")),
        "deal": _id_in(post.get("deal")),
        "purchase": _id_in(post.get("purchase")),
        "discount_percent": post.get("discount_percent", ""),
        "amount": post.get("value" if subject == "deal" else "amount", ""),
        "cost": post.get("cost", ""),
        "currency": post.get("currency", ""),
    }
    return initial


def _from_record(user: Any, params: Any) -> dict[str, Any]:
    """`?deal=` or `?purchase=`: the values saved on that record (404 if not visible)."""
    if params.get("purchase"):
        purchase = get_object_or_404(
            Purchase.objects.visible_to(user), pk=_id_in(params["purchase"]) or 0
        )
        return {
            "subject": "purchase",
            "purchase": purchase.pk,
            "discount_percent": show(purchase.discount_percent)
            if purchase.discount_percent
            else "",
            "amount": purchase.amount,
            "cost": purchase.cost if purchase.cost is not None else "",
            "currency": purchase.currency,
        }
    if params.get("deal"):
        deal = get_object_or_404(Deal.objects.visible_to(user), pk=_id_in(params["deal"]) or 0)
        return {
            "subject": "deal",
            "deal": deal.pk,
            "discount_percent": show(deal.discount_percent) if deal.discount_percent else "",
            "amount": deal.value,
            "cost": deal.cost if deal.cost is not None else "",
            "currency": deal.currency,
        }
    return {}


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    """Ask for approval: prefilled from a refused deal or purchase form (or `?purchase=` /
    `?deal=`), filed with a reason."""
    user = current_user(request)
    require_writer(user)
    if request.method == "POST" and not request.POST.get("from_form"):
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                filed = services.request_create(actor=user, data=form.service_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Your request was sent to your team lead."))
                return redirect("discounts:request_detail", pk=filed.pk)
        status = 400
    else:
        initial = (
            _from_sales_form(request.POST)
            if request.method == "POST"
            else _from_record(user, request.GET)
        )
        if not initial.get("subject"):
            return bad_request(
                request,
                ValidationError({"subject": [_("Open this page from a deal or a purchase.")]}),
            )
        form = RequestForm(initial=initial)
        status = 200
    return render(request, "discounts/request_form.html", {"form": form}, status=status)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    found = selectors.request_get(user, pk)
    return render(
        request,
        "discounts/request_detail.html",
        {
            "req": found,
            "can_decide": found.is_open and services.can_decide(user, found),
            "can_cancel": found.requested_by_id == user.pk
            and user.can_write
            and found.status in (RequestStatus.PENDING, RequestStatus.APPROVED),
            "decision_form": DecisionForm(),
        },
    )


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    user = current_user(request)
    found = selectors.request_get(user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = services.request_approve if approve else services.request_reject
    try:
        service(actor=user, request=found, note=note)
    except ValidationError as exc:
        return bad_request(request, exc)
    messages.success(request, _("Request approved.") if approve else _("Request rejected."))
    return redirect("discounts:request_detail", pk=found.pk)


@login_required
@require_POST
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    found = selectors.request_get(user, pk)
    try:
        services.request_cancel(actor=user, request=found)
    except ValidationError as exc:
        return bad_request(request, exc)
    messages.success(request, _("Request cancelled."))
    return redirect("discounts:request_detail", pk=found.pk)


# --- the report ---------------------------------------------------------------------------


@login_required
def report(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return bad_request(request, ValidationError(form.errors))
    try:
        found = selectors.discount_report(
            user, form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
        )
    except ValidationError as exc:
        return bad_request(request, exc)
    return render(request, "discounts/report.html", {"report": found})
