"""Deal pages: the list, a new deal, a deal's page, edit, trash and restore, history."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clientela.accounts.models import User
from clientela.contacts import selectors as contact_selectors
from clientela.contacts.models import Company, Contact
from clientela.contacts.views.common import (
    HISTORY_LIMIT,
    FieldChange,
    HistoryEntry,
    bad_request,
    current_user,
    is_htmx,
    parse_expected_updated_at,
    require_writer,
)
from clientela.contacts.views.records import owners_for
from clientela.core.audit import audit_history
from clientela.core.errors import EditConflict
from clientela.core.extensions import actions_for, panels_for
from clientela.sales import selectors, services
from clientela.sales.forms import DealForm, client_label
from clientela.sales.models import Deal, StageKind
from clientela.sales.selectors import DEAL_SORTS, PurchaseFilters
from clientela.sales.views.board import cards_of

SORT_LABELS = {
    "-created": gettext_lazy("Newest first"),
    "created": gettext_lazy("Oldest first"),
    "-updated": gettext_lazy("Recently changed"),
    "title": gettext_lazy("Title, A to Z"),
    "-title": gettext_lazy("Title, Z to A"),
    "-value": gettext_lazy("Largest value first"),
    "value": gettext_lazy("Smallest value first"),
    "board": gettext_lazy("Latest moved first"),
}
STATUS_LABELS = {
    StageKind.OPEN: gettext_lazy("Open"),
    StageKind.WON: gettext_lazy("Won"),
    StageKind.LOST: gettext_lazy("Lost"),
}
# A deal's page lists at most this many of its purchases.
DEAL_PURCHASES = 20
# Client suggestions offered while typing in the deal form.
SUGGESTIONS = 10


def _client_name(user: User, filters: selectors.DealFilters) -> str:
    """The name of the client a list is narrowed to, for the filter's label (one small query)."""
    if filters.contact is not None:
        contact = (
            Contact.objects.visible_to(user)
            .only("first_name", "middle_name", "last_name")
            .filter(pk=filters.contact)
            .first()
        )
        return str(contact) if contact is not None else f"#{filters.contact}"
    if filters.company is not None:
        visible = Company.objects.visible_to(user).filter(pk=filters.company)
        return visible.values_list("name", flat=True).first() or f"#{filters.company}"
    return ""


@login_required
@require_GET
def deal_list(request: HttpRequest) -> HttpResponse:
    """One page of deals; unknown filter values or a forged page link answer 400."""
    user = current_user(request)
    try:
        filters = selectors.deal_filters_clean(user, request.GET)
        page = selectors.deal_list(user, filters, cursor=request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    count, capped = selectors.deal_count(user, filters)
    owners = owners_for(user)
    pipelines = list(selectors.pipelines_all())
    owner_raw = request.GET.get("owner", "")
    context: dict[str, Any] = {
        "filters": filters,
        "page": page,
        "rows": cards_of(page.items, timezone.localdate()),
        "count": count,
        "capped": capped,
        "client_name": _client_name(user, filters),
        "pipelines": pipelines,
        "owner_options": [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ],
        "owner_selected": owner_raw,
        "status_options": [("", _("Open, won or lost")), *STATUS_LABELS.items()],
        "sort_options": [(key, SORT_LABELS[key]) for key in DEAL_SORTS],
        "filtered": any(
            (
                filters.pipeline,
                filters.stage,
                filters.owner,
                filters.team,
                filters.status,
                filters.contact,
                filters.company,
                filters.q,
            )
        ),
    }
    template = "sales/deal_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = "sales/_deal_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _form_page(
    request: HttpRequest,
    form: DealForm,
    *,
    deal: Deal | None = None,
    conflict: bool = False,
    version: str = "",
    cancel: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "sales/deal_form.html",
        {
            "form": form,
            "deal": deal,
            "conflict": conflict,
            "version": version,
            "cancel": cancel
            or (reverse("sales:deal_detail", args=[deal.pk]) if deal else reverse("sales:board")),
        },
        status=status,
    )


def _form_kwargs(user: User, *, creating: bool) -> dict[str, Any]:
    return {
        "user": user,
        "owners": owners_for(user),
        "pipelines": list(selectors.pipelines_active()) if creating else [],
        "reasons": list(selectors.lost_reasons_active()),
    }


def _prefill(user: User, request: HttpRequest) -> tuple[dict[str, Any], str]:
    """The client a deal started from a contact's or company's page begins with, and the way back."""
    initial: dict[str, Any] = {}
    back = ""
    for kind, get, url in (
        ("contact", contact_selectors.contact_get, "contacts:detail"),
        ("company", contact_selectors.company_get, "contacts:company_detail"),
    ):
        raw = request.GET.get(kind)
        if not raw:
            continue
        try:
            client = get(user, raw)
        except Http404:
            continue
        initial[kind] = client_label(client)
        back = back or reverse(url, args=[client.pk])
        if kind == "contact" and isinstance(client, Contact) and client.company_id:
            initial.setdefault("company", client_label(client.company))  # type: ignore[arg-type]
    return initial, back


@login_required
@require_http_methods(["GET", "POST"])
def deal_create(request: HttpRequest) -> HttpResponse:
    """A new deal; `?contact=` or `?company=` starts it with that client."""
    user = current_user(request)
    require_writer(user)
    kwargs = _form_kwargs(user, creating=True)
    if request.method != "POST":
        initial, back = _prefill(user, request)
        return _form_page(request, DealForm(initial=initial, **kwargs), cancel=back)
    form = DealForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            deal = services.deal_create(actor=user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Deal “%(title)s” created.") % {"title": deal.title})
            return redirect("sales:deal_detail", pk=deal.pk)
    return _form_page(request, form, status=422, cancel=request.POST.get("cancel", ""))


@login_required
@require_GET
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    deal = selectors.deal_get(user, pk)
    pipeline = selectors.pipeline_get(deal.pipeline_id)
    purchases = selectors.purchase_list(user, PurchaseFilters(deal=deal.pk), size=DEAL_PURCHASES)
    return render(
        request,
        "sales/deal_detail.html",
        {
            "deal": deal,
            "pipeline": pipeline,
            "stages": list(pipeline.stages.all()),
            "spans": selectors.deal_stage_history(deal),
            "purchases": purchases.items,
            "more_purchases": bool(purchases.next_cursor),
            "overdue": cards_of([deal], timezone.localdate())[0].overdue,
            "board_url": request.get_full_path(),
            "can_write": user.can_write,
            "panels": panels_for("deal", request, deal),
            "extra_actions": actions_for("deal", user, deal),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def deal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a deal; a save over someone else's newer change is refused with a clear notice."""
    user = current_user(request)
    deal = selectors.deal_get(user, pk)
    require_writer(user)
    kwargs = _form_kwargs(user, creating=False)
    if request.method != "POST":
        form = DealForm(deal=deal, **kwargs)
        return _form_page(request, form, deal=deal, version=deal.updated_at.isoformat())
    form = DealForm(request.POST, deal=deal, **kwargs)
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    if form.is_valid():
        try:
            deal = services.deal_update(
                actor=user, deal=deal, data=form.service_data(), expected_updated_at=expected
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except EditConflict:
            # Show the user's own input again; saving once more knowingly replaces the newer
            # version, so the form now carries that version.
            fresh = selectors.deal_get(user, pk)
            return _form_page(
                request,
                form,
                deal=fresh,
                conflict=True,
                version=fresh.updated_at.isoformat(),
                status=409,
            )
        else:
            messages.success(request, _("Deal “%(title)s” saved.") % {"title": deal.title})
            return redirect("sales:deal_detail", pk=deal.pk)
    return _form_page(request, form, deal=deal, version=version, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def deal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then move the deal to the trash."""
    user = current_user(request)
    deal = selectors.deal_get(user, pk)
    require_writer(user)
    if request.method == "POST":
        services.deal_delete(actor=user, deal=deal)
        messages.success(
            request,
            _("Deal “%(title)s” moved to the trash; it can be restored from there.")
            % {"title": deal.title},
        )
        return redirect(reverse("sales:board") + f"?pipeline={deal.pipeline_id}")
    return render(request, "sales/deal_confirm_delete.html", {"deal": deal})


@login_required
@require_POST
def deal_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    deal = selectors.trashed_deal_get(user, pk)
    services.deal_restore(actor=user, deal=deal)
    messages.success(request, _("Deal “%(title)s” restored.") % {"title": deal.title})
    return redirect("sales:deal_detail", pk=deal.pk)


# The order in which a deal's changed fields are listed: as on its page.
_HISTORY_ORDER = [
    "title", "contact", "company", "pipeline", "stage", "lost_reason", "value", "currency",
    "probability", "expected_close", "source", "owner",
]  # fmt: skip


def _history_label(field: str) -> str:
    if field == "owner":
        return _("Owner")
    try:
        return str(capfirst(Deal._meta.get_field(field).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return field


def deal_history_entries(deal: Deal) -> list[HistoryEntry]:
    """The deal's audit trail as a person reads it: labels, not keys; newest first."""
    position = {name: i for i, name in enumerate(_HISTORY_ORDER)}
    entries = []
    for event in audit_history(deal)[:HISTORY_LIMIT]:
        changed = sorted(
            event.changes.items(), key=lambda item: (position.get(item[0], len(position)), item[0])
        )
        entries.append(
            HistoryEntry(
                at=event.at,
                actor=str(event.actor) if event.actor else _("unknown"),
                action=event.get_action_display(),
                channel=event.get_channel_display(),
                changes=[
                    FieldChange(
                        label=_history_label(field),
                        old="—" if pair[0] in (None, "") else str(pair[0]),
                        new="—" if pair[1] in (None, "") else str(pair[1]),
                    )
                    for field, pair in changed
                    if isinstance(pair, list | tuple) and len(pair) == 2
                ],
            )
        )
    return entries


@login_required
@require_GET
def deal_history(request: HttpRequest, pk: int) -> HttpResponse:
    deal = selectors.deal_get(current_user(request), pk)
    return render(
        request, "sales/deal_history.html", {"deal": deal, "entries": deal_history_entries(deal)}
    )


# --- partials of the deal form ----------------------------------------------------------------


@login_required
@require_GET
def deal_stage_options(request: HttpRequest) -> HttpResponse:
    """The stages of the chosen pipeline, for the stage select of the deal form (htmx)."""
    pipeline = selectors.pipeline_get(request.GET.get("pipeline"))
    stages = [s for s in pipeline.stages.all() if s.active]
    return render(request, "sales/_deal_stage_options.html", {"stages": stages})


@login_required
@require_GET
def deal_client_suggest(request: HttpRequest) -> HttpResponse:
    """Contacts or companies matching what is typed in the deal form's client box (htmx)."""
    user = current_user(request)
    kind = "company" if "company" in request.GET else "contact"
    text = " ".join((request.GET.get(kind) or "").split())[:200]
    name, sep, number = text.rpartition(" #")
    if sep and number.isdigit():
        text = name
    clients: list[Any] = []
    if text:
        filters = contact_selectors.ListFilters(q=text)
        search = (
            contact_selectors.company_list if kind == "company" else contact_selectors.contact_list
        )
        clients = search(user, filters, size=SUGGESTIONS).items
    return render(
        request,
        "sales/_deal_client_options.html",
        {"options": [(client_label(c), c) for c in clients], "kind": kind},
    )
