"""Pages of calls, meetings, emails and notes: log one, see it, correct it, trash it, list them.

Logging a call is the most frequent thing a manager does here, so its form is one short page,
also shown in a dialog over the contact's page (activities.js), with the follow-up task in the
same step.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from clientela.accounts.models import User
from clientela.activities import selectors, services
from clientela.activities.forms import ACTIVITY_FORMS, FOLLOW_UP_FIELDS, ActivityForm, CallForm
from clientela.activities.models import Activity, ActivityKind, Draining, Mood
from clientela.activities.views.pages_common import (
    activity_label,
    back_url,
    client_url,
    deal_url,
    duration_display,
    in_dialog,
    vary_on_htmx,
)
from clientela.activities.views.tasks import (
    Links,
    filter_chips,
    links_from,
    owner_options,
)
from clientela.contacts import selectors as contact_selectors
from clientela.contacts.views.common import (
    bad_request,
    current_user,
    is_htmx,
    parse_expected_updated_at,
    require_writer,
)
from clientela.contacts.views.records import owners_for
from clientela.core.errors import EditConflict


@dataclass(frozen=True)
class KindText:
    title_new: Promise  # the page's title and the button that opens it
    saved: Promise  # the message after logging one


KIND_TEXT: dict[str, KindText] = {
    ActivityKind.CALL: KindText(gettext_lazy("Log a call"), gettext_lazy("Call logged.")),
    ActivityKind.MEETING: KindText(gettext_lazy("Log a meeting"), gettext_lazy("Meeting logged.")),
    ActivityKind.EMAIL: KindText(gettext_lazy("Log an email"), gettext_lazy("Email logged.")),
    ActivityKind.NOTE: KindText(gettext_lazy("Add a note"), gettext_lazy("Note added.")),
}


def _fallback(links: Links) -> str:
    """Where a logged activity leads when the page it came from is not known: its client."""
    if links.contact is not None:
        return reverse("contacts:detail", args=[links.contact.pk])
    if links.company is not None:
        return reverse("contacts:company_detail", args=[links.company.pk])
    if links.deal is not None:
        found = deal_url(links.deal.pk)
        if found:
            return found
    return reverse("activities:list")


def _form_page(
    request: HttpRequest,
    form: ActivityForm,
    *,
    kind: str,
    back: str,
    links: Links | None = None,
    activity: Activity | None = None,
    conflict: bool = False,
    version: str = "",
    status: int = 200,
) -> HttpResponse:
    dialog = in_dialog(request)
    context = {
        "form": form,
        "kind": kind,
        "title": KIND_TEXT[kind].title_new if activity is None else _edit_title(activity),
        "links": links or Links(),
        "activity": activity,
        "next": back,
        "conflict": conflict,
        "version": version,
        "dialog": dialog,
        "action": request.get_full_path() if activity is None else request.path,
    }
    template = "activities/_activity_form.html" if dialog else "activities/activity_form.html"
    return vary_on_htmx(render(request, template, context, status=status))


def _edit_title(activity: Activity) -> str:
    return _("Edit: %(activity)s") % {"activity": activity_label(activity)}


def _initial(kind: str, links: Links) -> dict[str, Any]:
    initial: dict[str, Any] = dict(links.initial)
    if kind == ActivityKind.EMAIL:
        client = links.contact or links.company or (links.deal.contact if links.deal else None)
        if client is not None and client.primary_email:
            initial["email_address"] = client.primary_email
    return initial


def _log(user: User, form: ActivityForm) -> Activity:
    """The activity, and the call's follow-up task with it: both saved, or neither."""
    with transaction.atomic():
        activity = services.activity_create(actor=user, data=form.service_data())
        follow_up = form.follow_up_data() if isinstance(form, CallForm) else None
        if follow_up is not None:
            follow_up |= {
                "contact": activity.contact_id,
                "company": activity.company_id,
                "deal": activity.deal_id,
            }
            try:
                services.task_create(actor=user, data=follow_up)
            except ValidationError as exc:
                raise FollowUpRefused(exc) from exc
    return activity


class FollowUpRefused(Exception):
    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error


def _add_follow_up_errors(form: ActivityForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages_ in error.message_dict.items():
        if key in FOLLOW_UP_FIELDS:
            form.add_error(FOLLOW_UP_FIELDS[key], messages_)
        else:
            form.add_error(None, [_("Follow-up task: %(error)s") % {"error": m} for m in messages_])


def activity_new(request: HttpRequest, kind: str) -> HttpResponse:
    """Log a call, meeting, email or note with the client of `?contact=`, `?company=` or
    `?deal=` (or one picked on the form), then go back to where the user came from."""
    user = current_user(request)
    links = links_from(request, user)
    require_writer(user)
    form_class = ACTIVITY_FORMS[kind]
    back = back_url(request, _fallback(links))
    if request.method != "POST":
        form = form_class(user=user, has_client=links.any, initial=_initial(kind, links))
        return _form_page(request, form, kind=kind, back=back, links=links)
    form = form_class(request.POST, user=user, has_client=links.any)
    if form.is_valid():
        try:
            activity = _log(user, form)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except FollowUpRefused as exc:
            _add_follow_up_errors(form, exc.error)
        else:
            messages.success(request, str(KIND_TEXT[kind].saved))
            if back == reverse("activities:list") and not links.any:
                back = client_url(activity) or back
            if in_dialog(request):
                return HttpResponseClientRedirect(back)
            return redirect(back)
    return _form_page(request, form, kind=kind, back=back, links=links)


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    return activity_new(request, ActivityKind.CALL)


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    return activity_new(request, ActivityKind.MEETING)


@login_required
def email_new(request: HttpRequest) -> HttpResponse:
    return activity_new(request, ActivityKind.EMAIL)


@login_required
def note_new(request: HttpRequest) -> HttpResponse:
    return activity_new(request, ActivityKind.NOTE)


# --- one activity ---------------------------------------------------------------------------------


def _facts(activity: Activity) -> list[tuple[str, str]]:
    """The kind's own values, labelled, for the activity's page (empty ones left out)."""
    facts: list[tuple[str, str]] = []
    if activity.kind in (ActivityKind.CALL, ActivityKind.EMAIL) and activity.direction:
        facts.append((_("Direction"), activity.get_direction_display()))
    if activity.kind == ActivityKind.CALL:
        if activity.duration is not None:
            facts.append((_("Duration"), duration_display(activity.duration)))
        if activity.outcome:
            facts.append((_("Outcome"), activity.get_outcome_display()))
        if activity.mood:
            facts.append((_("The client's mood"), str(Mood(activity.mood).label)))
        if activity.draining:
            facts.append((_("How draining"), str(Draining(activity.draining).label)))
    if activity.kind == ActivityKind.MEETING:
        if activity.place:
            facts.append((_("Place"), activity.place))
        if activity.attendees:
            facts.append((_("Attendees"), activity.attendees))
    if activity.kind == ActivityKind.EMAIL and activity.email_address:
        facts.append((_("Email address"), activity.email_address))
    return facts


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity; one in the trash shows to whoever may restore it, with the button to."""
    user = current_user(request)
    try:
        activity = selectors.activity_get(user, pk)
        trashed = False
    except Http404:
        activity = selectors.trashed_activity_get(user, pk)
        trashed = True
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "trashed": trashed,
            "facts": _facts(activity),
            "label": activity_label(activity),
            "deal_url": deal_url(activity.deal_id) if activity.deal_id else None,
            "client_url": client_url(activity),
        },
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an activity; a save over someone else's newer change is refused with a notice."""
    user = current_user(request)
    activity = selectors.activity_get(user, pk)
    require_writer(user)
    form_class = ACTIVITY_FORMS[activity.kind]
    back = back_url(request, reverse("activities:detail", args=[activity.pk]))
    page: dict[str, Any] = {"kind": activity.kind, "back": back, "activity": activity}
    if request.method != "POST":
        form = form_class(user=user, activity=activity)
        return _form_page(request, form, version=activity.updated_at.isoformat(), **page)
    form = form_class(request.POST, user=user, activity=activity)
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    if form.is_valid():
        try:
            activity = services.activity_update(
                actor=user,
                activity=activity,
                data=form.service_data(),
                expected_updated_at=expected,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except EditConflict:
            fresh = selectors.activity_get(user, pk)
            page["activity"] = fresh
            return _form_page(
                request,
                form,
                conflict=True,
                version=fresh.updated_at.isoformat(),
                status=409,
                **page,
            )
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    return _form_page(request, form, version=version, **page)


@login_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then move the activity to the trash; its page then offers to restore it."""
    user = current_user(request)
    activity = selectors.activity_get(user, pk)
    require_writer(user)
    if request.method == "POST":
        services.activity_delete(actor=user, activity=activity)
        label = activity_label(activity)
        messages.success(request, _("“%(activity)s” moved to the trash.") % {"activity": label})
        return redirect("activities:detail", pk=activity.pk)
    return render(
        request,
        "activities/confirm_delete.html",
        {
            "record": activity_label(activity),
            "cancel": reverse("activities:detail", args=[activity.pk]),
        },
    )


@login_required
@require_POST
def activity_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    activity = selectors.trashed_activity_get(user, pk)
    services.activity_restore(actor=user, activity=activity)
    messages.success(
        request, _("“%(activity)s” restored.") % {"activity": activity_label(activity)}
    )
    return redirect("activities:detail", pk=activity.pk)


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    duration: str
    deal_url: str | None


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    """One page of the activities the user sees, newest first, narrowed by the filters."""
    user = current_user(request)
    try:
        filters = selectors.activity_filters_clean(user, request.GET)
        page = selectors.activity_list(user, filters, cursor=request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    owners = owners_for(user)
    context = {
        "filters": filters,
        "page": page,
        "rows": [
            ActivityRow(
                a,
                duration_display(a.duration) if a.duration is not None else "",
                deal_url(a.deal_id) if a.deal_id else None,
            )
            for a in page.items
        ],
        "chips": filter_chips(request, user, filters),
        "kind_options": [("", _("Everything")), *ActivityKind.choices],
        "user_options": owner_options(user, owners),
        "user_selected": request.GET.get("user", ""),
        "filtered": bool(
            filters.kind
            or filters.user
            or filters.since
            or filters.until
            or filters.contact
            or filters.company
            or filters.deal
        ),
        "log_links": [
            (reverse(f"activities:{kind}_new"), text.title_new) for kind, text in KIND_TEXT.items()
        ],
    }
    template = "activities/activity_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = "activities/_activity_results.html"
    return vary_on_htmx(render(request, template, context))


SUGGESTIONS = 10


@login_required
@require_GET
def client_suggest(request: HttpRequest) -> HttpResponse:
    """Contacts for the "with whom" box of a form logged without a client (an htmx partial)."""
    text = (request.GET.get("client") or "")[:200]
    name = text.rpartition(" #")[0] or text
    filters = contact_selectors.ListFilters(q=name)
    contacts = contact_selectors.contact_list(current_user(request), filters, size=SUGGESTIONS)
    return render(request, "activities/_client_options.html", {"contacts": contacts.items})
