"""The workload pages (my load, the team's weeks) and the handover of a manager's book."""

import hashlib
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.activities.handover import (
    COMPANY,
    CONTACT,
    Book,
    Client,
    ClientKey,
    client_key,
    handover,
    handover_allowed,
    handover_book,
    handover_book_counts,
    handover_clients,
    handover_plan,
    handover_sources,
    handover_spread,
    handover_targets,
)
from clientela.activities.services import task_update
from clientela.contacts.models import Company, Contact
from clientela.core.models import FirmSettings
from clientela.insights.forms import (
    HandoverForm,
    HandoverSourceForm,
    TeamLoadForm,
    row_keys,
)
from clientela.insights.workload import (
    DEFAULT_WEEKS,
    is_lead,
    is_worker,
    movable_tasks,
    my_days,
    my_load,
    next_working_day,
    team_load,
    teams_for,
)

# The most clients the per-client table of a handover shows; the rest follow the default.
HANDOVER_ROWS = 200
# The most client names the confirmation lists per colleague.
PREVIEW_NAMES = 30
RESULT_KEY = "insights.handover_result"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_worker(user: User) -> None:
    if not is_worker(user):
        raise PermissionDenied(_("Only people who work with clients have a workload."))


def _require_lead_or_admin(user: User) -> None:
    if not (user.is_admin or is_lead(user)):
        raise PermissionDenied(_("Only team leads and administrators see this page."))


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


# --- workload ------------------------------------------------------------------------------------


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_worker(user)
    firm = FirmSettings.current()
    return render(
        request,
        "insights/workload.html",
        {
            "load": my_load(user, firm=firm),
            "days": my_days(user, days=7, firm=firm),
            "sees_team": user.is_admin or is_lead(user),
        },
    )


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one of the tasks that could wait to the next working day."""
    user = _user(request)
    _require_worker(user)
    task = movable_tasks(user).filter(pk=pk).first()
    if task is None:
        raise Http404
    day = next_working_day(user_today(user))
    task_update(actor=user, task=task, data={"due_date": day})
    messages.success(
        request,
        _("“%(task)s” moved to %(day)s.") % {"task": task, "day": date_format(day, "DATE_FORMAT")},
    )
    return redirect(_back(request, reverse("insights:workload")))


@login_required
@require_POST
def tasks_move_all(request: HttpRequest) -> HttpResponse:
    """Move every task shown as one that could wait (and still can) to the next working day."""
    user = _user(request)
    _require_worker(user)
    ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
    day = next_working_day(user_today(user))
    tasks = list(movable_tasks(user).filter(pk__in=ids))
    with transaction.atomic():
        for task in tasks:
            task_update(actor=user, task=task, data={"due_date": day})
    messages.success(
        request,
        ngettext(
            "%(count)d task moved to %(day)s.", "%(count)d tasks moved to %(day)s.", len(tasks)
        )
        % {"count": len(tasks), "day": date_format(day, "DATE_FORMAT")},
    )
    return redirect(_back(request, reverse("insights:workload")))


@login_required
def workload_team(request: HttpRequest) -> HttpResponse:
    """A team's weeks, per manager, and the clients who drain it most."""
    user = _user(request)
    _require_lead_or_admin(user)
    teams = teams_for(user)
    form = TeamLoadForm(request.GET or None, teams=teams, initial={"weeks": DEFAULT_WEEKS})
    context: dict[str, Any] = {"form": form, "choose_team": user.is_admin, "load": None}
    if request.GET and not form.is_valid():
        if "team" in form.errors:
            raise Http404  # a team the reader may not see is not there
        return render(request, "insights/team_load.html", context, status=400)
    team = (form.cleaned_data.get("team") if form.is_bound else None) or teams.first()
    if team is not None:
        weeks = form.chosen_weeks() if form.is_bound else DEFAULT_WEEKS
        load = team_load(user, team, weeks=weeks)
        context["load"] = load
        context["clients"] = [
            (c, c.record is not None and handover_allowed(user, c.record.owner))
            for c in load.clients
        ]
    return render(request, "insights/team_load.html", context)


# --- handover ------------------------------------------------------------------------------------


def _preselected(request: HttpRequest, user: User) -> Client | None:
    """The client named by ?contact= or ?company= (a link from the team's workload)."""
    for param, model in ((CONTACT, Contact), (COMPANY, Company)):
        raw = request.GET.get(param, "")
        if raw:
            if not raw.isdigit():
                raise Http404
            found = model.objects.visible_to(user).select_related("owner").filter(pk=raw).first()
            if found is None:
                raise Http404
            return cast(Client, found)
    return None


def _source(request: HttpRequest, user: User, raw: str | None) -> User | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    found = handover_sources(user).filter(pk=raw).first()
    if found is None:
        raise Http404
    return found


def _version(book: Book) -> str:
    """A fingerprint of the book, to tell that it changed between the preview and the confirm."""
    parts = [
        ",".join(str(r.pk) for r in records)
        for records in (book.contacts, book.companies, book.deals, book.tasks)
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _handover_form(
    request: HttpRequest, user: User, from_user: User, first: Client | None
) -> HandoverForm:
    targets = list(handover_targets(user, from_user))
    if request.method == "POST":
        keys = row_keys(request.POST.keys(), HANDOVER_ROWS + 1)
        clients = handover_clients(user, from_user, limit=len(keys), keys=keys) if keys else []
        return HandoverForm(request.POST, targets=targets, clients=clients)
    clients = handover_clients(user, from_user, limit=HANDOVER_ROWS)
    initial: dict[str, Any] = {}
    if first is not None:
        clients = [first, *(c for c in clients if client_key(c) != client_key(first))]
        initial = {"distribution": HandoverForm.PER_CLIENT, "only_chosen": True}
    return HandoverForm(targets=targets, clients=clients[: HANDOVER_ROWS + 1], initial=initial)


def _who_gets_what(
    form: HandoverForm, book: Book
) -> tuple[dict[ClientKey, User], User, list[ClientKey] | None]:
    """The service's arguments from the form: assignments, the default, the clients moved."""
    mode = form.cleaned_data["distribution"]
    colleagues = form.colleagues_chosen()
    if mode == HandoverForm.ONE:
        return {}, colleagues[0], None
    if mode == HandoverForm.EVEN:
        return handover_spread(book, colleagues), colleagues[0], None
    assignments = form.assignments()
    if form.cleaned_data.get("only_chosen"):
        default = next(iter(assignments.values()))
        return assignments, default, list(assignments)
    rest = form.rest_to_user()
    assert rest is not None  # the form requires it
    return assignments, rest, None


@login_required
def handover_page(request: HttpRequest) -> HttpResponse:
    """Choose a manager, share its book among colleagues, check what moves, confirm."""
    user = _user(request)
    _require_lead_or_admin(user)
    first = _preselected(request, user) if request.method == "GET" else None
    raw_source = (
        request.POST.get("from_user")
        if request.method == "POST"
        else request.GET.get("from_user") or (str(first.owner_id) if first else None)
    )
    from_user = _source(request, user, raw_source)
    if first is not None and (from_user is None or not handover_allowed(user, from_user)):
        raise Http404
    sources = handover_sources(user).order_by("-is_active", "first_name", "last_name", "username")
    source_form = HandoverSourceForm(
        initial={"from_user": from_user.pk if from_user else None}, sources=sources
    )
    context: dict[str, Any] = {"source_form": source_form, "from_user": from_user, "first": first}
    if from_user is None:
        return render(request, "insights/handover.html", context)
    counts = handover_book_counts(user, from_user)
    form = _handover_form(request, user, from_user, first)
    context |= {
        "counts": counts,
        "form": form,
        "capped": counts.clients > HANDOVER_ROWS,
        "row_limit": HANDOVER_ROWS,
    }
    if request.method != "POST" or request.POST.get("step") == "edit" or not form.is_valid():
        return render(request, "insights/handover.html", context, status=_status(request, form))
    assignments, default_to, only = _who_gets_what(form, handover_book(user, from_user))
    book = handover_book(user, from_user, only=only)
    version = _version(book)
    step = request.POST.get("step")
    if step == "confirm" and request.POST.get("version") == version:
        try:
            result = handover(
                actor=user,
                from_user=from_user,
                assignments=assignments,
                default_to=default_to,
                note=form.cleaned_data["note"],
                only_clients=only,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
            return render(request, "insights/handover.html", context, status=400)
        request.session[RESULT_KEY] = {"from": str(from_user), **result.as_dict()}
        return redirect("insights:handover_done")
    plan = handover_plan(book, assignments, default_to)
    context |= {
        "plan": plan,
        "shares": [(share, plan.clients_of(share.user)[:PREVIEW_NAMES]) for share in plan.shares()],
        "preview_names": PREVIEW_NAMES,
        "version": version,
        "changed": step == "confirm",  # the book changed since the preview
    }
    return render(request, "insights/handover_confirm.html", context)


def _status(request: HttpRequest, form: HandoverForm) -> int:
    if request.method == "POST" and request.POST.get("step") != "edit" and form.errors:
        return 400
    return 200


@login_required
def handover_done(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_lead_or_admin(user)
    result = request.session.pop(RESULT_KEY, None)
    if result is None:
        return redirect("insights:handover")
    return render(request, "insights/handover_done.html", {"result": result})
