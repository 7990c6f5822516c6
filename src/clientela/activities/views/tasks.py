"""Task pages: the list, a task, add, edit, done and reopen, trash and restore."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from clientela.accounts.models import User
from clientela.activities import selectors, services
from clientela.activities.forms import TaskForm
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.views.pages_common import (
    back_url,
    days_late_display,
    deal_url,
    in_dialog,
    vary_on_htmx,
)
from clientela.contacts import selectors as contact_selectors
from clientela.contacts.models import Company, Contact
from clientela.contacts.views.common import (
    bad_request,
    current_user,
    is_htmx,
    parse_expected_updated_at,
    require_writer,
)
from clientela.contacts.views.records import owners_for
from clientela.core.errors import EditConflict
from clientela.sales import selectors as sales_selectors
from clientela.sales.models import Deal

SORT_LABELS = {
    "due": gettext_lazy("Due soonest first"),
    "-due": gettext_lazy("Due latest first"),
    "-created": gettext_lazy("Newest first"),
}
STATUS_LABELS = {
    "open": gettext_lazy("To do"),
    "done": gettext_lazy("Done"),
    "all": gettext_lazy("All"),
}


@dataclass(frozen=True)
class TaskRow:
    """A task as a row shows it: how late it is, where its deal lives."""

    task: Task
    late: str  # "3 days late", or "" when not late
    deal_url: str | None
    follow_up: bool


def task_row(task: Task, today: datetime.date, now_time: datetime.time | None = None) -> TaskRow:
    late = ""
    if not task.is_done:
        if task.due_date < today:
            late = days_late_display((today - task.due_date).days)
        elif (
            task.due_date == today
            and now_time is not None
            and task.due_time is not None
            and task.due_time < now_time
        ):
            late = days_late_display(0)
    return TaskRow(
        task=task,
        late=late,
        deal_url=deal_url(task.deal_id) if task.deal_id else None,
        follow_up=task.origin == TaskOrigin.FOLLOW_UP,
    )


def local_now() -> datetime.datetime:
    return timezone.localtime()


def rows_for(tasks: list[Task]) -> list[TaskRow]:
    now = local_now()
    return [task_row(t, now.date(), now.time().replace(tzinfo=None)) for t in tasks]


# --- the list -------------------------------------------------------------------------------------


def _client_name(user: User, model: str, pk: int | None) -> str:
    """Only the name, for a filter's label: one small query."""
    if pk is None:
        return ""
    if model == "contact":
        found = Contact.objects.visible_to(user).filter(pk=pk).first()
    elif model == "company":
        found = Company.objects.visible_to(user).filter(pk=pk).only("id", "name").first()
    else:
        found = Deal.objects.visible_to(user).filter(pk=pk).only("id", "title").first()
    return str(found) if found is not None else f"#{pk}"


@dataclass(frozen=True)
class Chip:
    """A list narrowed to one contact, company or deal: its name and the way back out."""

    param: str
    label: str
    name: str
    value: int
    remove_url: str


def filter_chips(request: HttpRequest, user: User, filters: Any) -> list[Chip]:
    labels = {"contact": _("Contact"), "company": _("Company"), "deal": _("Deal")}
    chips = []
    for param, label in labels.items():
        pk = getattr(filters, param, None)
        if pk is not None:
            query = request.GET.copy()
            query.pop(param, None)
            query.pop("cursor", None)
            remove_url = f"{request.path}?{query.urlencode()}" if query else request.path
            chips.append(Chip(param, label, _client_name(user, param, pk), pk, remove_url))
    return chips


def owner_options(user: User, owners: list[User]) -> list[tuple[str, str]]:
    return [
        ("", _("Anyone")),
        ("me", _("Me")),
        *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
    ]


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """One page of the tasks the user sees; leads and administrators pick whose."""
    user = current_user(request)
    try:
        filters = selectors.task_filters_clean(user, request.GET)
        page = selectors.task_list(user, filters, cursor=request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    owners = owners_for(user)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows_for(page.items),
        "chips": filter_chips(request, user, filters),
        "owner_options": owner_options(user, owners) if len(owners) > 1 else [],
        "owner_selected": request.GET.get("owner", ""),
        "status_options": list(STATUS_LABELS.items()),
        "sort_options": list(SORT_LABELS.items()),
        "filtered": bool(
            request.GET.get("owner")
            or filters.status != "open"
            or filters.due_before
            or filters.due_after
            or filters.contact
            or filters.company
            or filters.deal
        ),
        "new_query": _new_task_query(filters),
    }
    template = "activities/task_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = "activities/_task_results.html"
    return vary_on_htmx(render(request, template, context))


def _new_task_query(filters: Any) -> str:
    """ "?contact=12" for "New task" on a list narrowed to a client."""
    for name in ("contact", "company", "deal"):
        pk = getattr(filters, name, None)
        if pk is not None:
            return f"?{name}={pk}"
    return ""


# --- one task -------------------------------------------------------------------------------------


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A task; a task in the trash shows to whoever may restore it, with the button to."""
    user = current_user(request)
    try:
        task = selectors.task_get(user, pk)
        trashed = False
    except Http404:
        task = selectors.trashed_task_get(user, pk)
        trashed = True
    return render(
        request,
        "activities/task_detail.html",
        {"row": rows_for([task])[0], "task": task, "trashed": trashed},
    )


@dataclass(frozen=True)
class Links:
    """The client and deal a new task is about, from the page it was added on."""

    contact: Any = None
    company: Any = None
    deal: Any = None

    @property
    def initial(self) -> dict[str, int]:
        return {
            name: getattr(self, name).pk
            for name in ("contact", "company", "deal")
            if getattr(self, name) is not None
        }

    @property
    def any(self) -> bool:
        return bool(self.initial)


def links_from(request: HttpRequest, user: User) -> Links:
    """The `contact`, `company` and `deal` of the form (POST) or address: 404 if not visible."""
    found: dict[str, Any] = {}
    getters = {
        "contact": contact_selectors.contact_get,
        "company": contact_selectors.company_get,
        "deal": sales_selectors.deal_get,
    }
    for name, get in getters.items():
        raw = request.POST.get(name) or request.GET.get(name)
        if raw:
            found[name] = get(user, raw)
    return Links(**found)


def _form_page(
    request: HttpRequest,
    form: TaskForm,
    *,
    task: Task | None = None,
    links: Links | None = None,
    back: str,
    conflict: bool = False,
    version: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "task": task,
        "links": links or Links(),
        "next": back,
        "conflict": conflict,
        "version": version,
        "dialog": in_dialog(request),
    }
    template = "activities/_task_form.html" if context["dialog"] else "activities/task_form.html"
    return vary_on_htmx(render(request, template, context, status=status))


def _done(request: HttpRequest, back: str) -> HttpResponse:
    if in_dialog(request):
        return HttpResponseClientRedirect(back)
    return redirect(back)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    """A new task; from a contact's, company's or deal's page it is about that client."""
    user = current_user(request)
    links = links_from(request, user)
    require_writer(user)
    owners = owners_for(user)
    back = back_url(request, reverse("activities:task_list"))
    if request.method != "POST":
        initial: dict[str, Any] = {"due_date": timezone.localdate(), **links.initial}
        form = TaskForm(user=user, owners=owners, initial=initial)
        return _form_page(request, form, links=links, back=back)
    form = TaskForm(request.POST, user=user, owners=owners)
    if form.is_valid():
        try:
            task = services.task_create(actor=user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Task “%(title)s” added.") % {"title": task.title})
            return _done(request, back)
    return _form_page(request, form, links=links, back=back)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a task; a save over someone else's newer change is refused with a clear notice."""
    user = current_user(request)
    task = selectors.task_get(user, pk)
    require_writer(user)
    owners = owners_for(user)
    back = back_url(request, reverse("activities:task_detail", args=[task.pk]))
    if request.method != "POST":
        form = TaskForm(user=user, owners=owners, task=task)
        return _form_page(request, form, task=task, back=back, version=task.updated_at.isoformat())
    form = TaskForm(request.POST, user=user, owners=owners, task=task)
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    if form.is_valid():
        try:
            task = services.task_update(
                actor=user, task=task, data=form.service_data(), expected_updated_at=expected
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except EditConflict:
            # The user's input stays; saving again knowingly replaces the newer version.
            fresh = selectors.task_get(user, pk)
            return _form_page(
                request,
                form,
                task=fresh,
                back=back,
                conflict=True,
                version=fresh.updated_at.isoformat(),
                status=409,
            )
        else:
            messages.success(request, _("Task “%(title)s” saved.") % {"title": task.title})
            return redirect(back)
    return _form_page(request, form, task=task, back=back, version=version)


def _done_or_reopened(request: HttpRequest, task: Task, *, done: bool) -> HttpResponse:
    """The answer to Done / Reopen: the row again (htmx), else back to the page it was on.

    On My day a task marked done leaves its section for "Done today" (an out-of-band swap).
    """
    if is_htmx(request):
        place = request.POST.get("place", "")
        row = rows_for([task])[0]
        template = "activities/_task_row.html"
        if place == "my_day":
            template = "activities/_task_done_moved.html" if done else "activities/_task_item.html"
        here = back_url(request, reverse("activities:task_list"))
        context = {"row": row, "place": place, "here": here}
        return vary_on_htmx(render(request, template, context))
    if done:
        messages.success(request, _("Task “%(title)s” done.") % {"title": task.title})
    else:
        messages.success(request, _("Task “%(title)s” reopened.") % {"title": task.title})
    return redirect(back_url(request, reverse("activities:my_day")))


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    task = selectors.task_get(user, pk)
    require_writer(user)
    task = services.task_complete(actor=user, task=task)
    return _done_or_reopened(request, task, done=True)


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    task = selectors.task_get(user, pk)
    require_writer(user)
    task = services.task_reopen(actor=user, task=task)
    return _done_or_reopened(request, task, done=False)


@login_required
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then move the task to the trash; its page then offers to restore it."""
    user = current_user(request)
    task = selectors.task_get(user, pk)
    require_writer(user)
    if request.method == "POST":
        services.task_delete(actor=user, task=task)
        messages.success(request, _("Task “%(title)s” moved to the trash.") % {"title": task.title})
        return redirect("activities:task_detail", pk=task.pk)
    return render(
        request,
        "activities/confirm_delete.html",
        {"record": task, "cancel": reverse("activities:task_detail", args=[task.pk])},
    )


@login_required
@require_POST
def task_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    task = selectors.trashed_task_get(user, pk)
    services.task_restore(actor=user, task=task)
    messages.success(request, _("Task “%(title)s” restored.") % {"title": task.title})
    return redirect("activities:task_detail", pk=task.pk)
