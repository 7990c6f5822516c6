"""Greeting pages: the firm's templates, sending a greeting to a contact or a company, and the
client's "Greetings" panel.

    /occasions/greetings/templates/                 the templates (administrators and leads edit)
    /occasions/greetings/new/?contact=7             write and send (or schedule) a greeting
    /occasions/greetings/new/?company=5             the same, to a company's own address
    /occasions/greetings/new/?occasion=12           the same, for that occasion of a client

The send page works without JavaScript: "Use this template" and "Preview" are submit buttons.
With htmx, choosing a template reloads the form and the preview follows the typing.
"""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clientela.accounts.models import User
from clientela.accounts.zones import user_today, user_zone
from clientela.contacts.models import Company, Contact
from clientela.contacts.views.common import current_user, is_htmx, require_writer
from clientela.core.extensions import Action, Panel, register_action, register_panel
from clientela.occasions import selectors_greetings as selectors
from clientela.occasions import services_greetings as services
from clientela.occasions.forms_greetings import (
    DEFAULT_SEND_TIME,
    GreetingForm,
    GreetingTemplateForm,
)
from clientela.occasions.greetings import (
    GreetingText,
    greeting_values,
    placeholder_problems,
    render_greeting,
)
from clientela.occasions.models import GreetingTemplate, Occasion
from clientela.occasions.unsubscribe import contact_for_token, marketing_consent_withdraw

Client = Contact | Company


def _templates_url() -> str:
    return reverse("occasions:greeting_templates")


def _client_param(client: Client) -> str:
    """The query parameter (and the greeting's column) that names `client`."""
    return "company" if isinstance(client, Company) else "contact"


def _client_url(client: Client) -> str:
    if isinstance(client, Company):
        return reverse("contacts:company_detail", args=[client.pk])
    return reverse("contacts:detail", args=[client.pk])


def _instead_urls(client: Client) -> dict[str, str]:
    """Where to log a call or record a postcard for a client with no email address."""
    param = _client_param(client)
    return {
        "call_url": f"{reverse('activities:call_new')}?{urlencode({param: client.pk})}",
        "postcard_url": f"{reverse('occasions:gesture_new')}?"
        + urlencode({param: client.pk, "kind": "postcard"}),
    }


# --- templates ----------------------------------------------------------------------------------


@login_required
def greeting_templates(request: HttpRequest) -> HttpResponse:
    """Every template; administrators and team leads see the buttons to change them."""
    user = current_user(request)
    return render(
        request,
        "occasions/greeting_templates.html",
        {
            "templates": selectors.greeting_templates(),
            "can_edit": services.can_edit_templates(user),
        },
    )


def _template_editor(request: HttpRequest) -> User:
    user = current_user(request)
    if not services.can_edit_templates(user):
        raise PermissionDenied(_("Only administrators and team leads edit greeting templates."))
    return user


@login_required
def greeting_template_new(request: HttpRequest) -> HttpResponse:
    user = _template_editor(request)
    form = GreetingTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.greeting_template_create(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Template “%(name)s” saved.") % {"name": template.name})
            return redirect(_templates_url())
    return render(
        request, "occasions/greeting_template_form.html", {"form": form, "template": None}
    )


@login_required
def greeting_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _template_editor(request)
    template = selectors.greeting_template_get(pk)
    form = GreetingTemplateForm(
        request.POST or None, initial=GreetingTemplateForm.initial_of(template)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.greeting_template_update(actor=user, template=template, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Template “%(name)s” saved.") % {"name": template.name})
            return redirect(_templates_url())
    return render(
        request, "occasions/greeting_template_form.html", {"form": form, "template": template}
    )


@login_required
@require_POST
def greeting_template_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _template_editor(request)
    template = selectors.greeting_template_get(pk)
    services.greeting_template_deactivate(actor=user, template=template)
    messages.success(
        request, _("Template “%(name)s” is no longer in use.") % {"name": template.name}
    )
    return redirect(_templates_url())


# --- sending --------------------------------------------------------------------------------------


def _subject_of_page(request: HttpRequest, user: User) -> tuple[Client, Occasion | None]:
    """The client the page greets and the occasion it greets them for, from the query."""
    params = request.POST if request.method == "POST" else request.GET
    occasion_id = params.get("occasion") or request.GET.get("occasion")
    if occasion_id:
        occasion = selectors.occasion_for_greeting(user, occasion_id)
        if occasion.contact_id is not None:
            return selectors.contact_for_greeting(user, occasion.contact_id), occasion
        return selectors.company_for_greeting(user, occasion.company_id), occasion
    company_id = params.get("company") or request.GET.get("company")
    if company_id:
        return selectors.company_for_greeting(user, company_id), None
    contact = selectors.contact_for_greeting(
        user, params.get("contact") or request.GET.get("contact")
    )
    return contact, None


def _initial(
    template: GreetingTemplate | None,
    *,
    language: str,
    day: datetime.date | None,
    today: datetime.date,
) -> dict[str, Any]:
    # A greeting for a day still ahead goes on that day ("Today is your name day…"); one for
    # today, or with no occasion, goes now.
    initial: dict[str, Any] = {
        "language": template.language if template else language,
        "personal": True,
        "when": GreetingForm.ON_DAY if day is not None and day > today else GreetingForm.NOW,
        "day": day,
        "time": DEFAULT_SEND_TIME,
    }
    if template is not None:
        initial |= {"template": template.pk, "subject": template.subject, "body": template.body}
    return initial


def _preview(
    user: User, client: Client, occasion: Occasion | None, form: GreetingForm, templates: list
) -> tuple[GreetingText | None, dict[str, list[str]]]:
    """The greeting as it will be sent, or the problems of its placeholders."""
    data = form.cleaned_data
    problems = {
        field: placeholder_problems(data.get(field) or "")
        for field in ("subject", "body")
        if placeholder_problems(data.get(field) or "")
    }
    if problems:
        return None, problems
    template = next((t for t in templates if t.pk == data.get("template")), None)
    kind = occasion.kind if occasion else (template.occasion_kind if template else "")
    values = greeting_values(
        client,
        sender=user,
        language=data.get("language") or "",
        occasion_kind=kind,
        occasion_label=occasion.label if occasion else "",
    )
    return render_greeting(data.get("subject") or "", data.get("body") or "", values), {}


def _send_at(user: User, form: GreetingForm) -> datetime.datetime | None:
    data = form.cleaned_data
    if data.get("when") != GreetingForm.ON_DAY:
        return None
    return datetime.datetime.combine(data["day"], data["time"], tzinfo=user_zone(user))


def _page(
    request: HttpRequest,
    *,
    client: Client,
    occasion: Occasion | None,
    form: GreetingForm,
    preview: GreetingText | None = None,
    partial: str = "",
) -> HttpResponse:
    query = urlencode({"occasion": occasion.pk} if occasion else {_client_param(client): client.pk})
    context = {
        "client": client,
        "is_company": isinstance(client, Company),
        "occasion": occasion,
        "form": form,
        "preview": preview,
        "form_url": f"{reverse('occasions:greeting_new')}?{query}",
        "client_url": _client_url(client),
        **_instead_urls(client),
        "personal_value": form["personal"].value(),
    }
    return render(request, partial or "occasions/greeting_form.html", context)


@login_required
def greeting_new(request: HttpRequest) -> HttpResponse:
    """Write a greeting to a contact or a company from a template, preview it, send it now or
    on the day."""
    user = current_user(request)
    require_writer(user)
    client, occasion = _subject_of_page(request, user)
    today = user_today(user)
    if occasion is None:
        occasion = selectors.next_occasion(client, today)
    day = selectors.occasion_date(occasion, today) if occasion else None
    templates = selectors.greeting_templates(active_only=True)
    language = selectors.greeting_language(client)

    if request.method != "POST":
        kind = occasion.kind if occasion else ""
        chosen = selectors.default_template(templates, kind=kind, language=language)
        form = GreetingForm(
            initial=_initial(chosen, language=language, day=day, today=today),
            templates=templates,
        )
        return _page(request, client=client, occasion=occasion, form=form)

    action = request.POST.get("action", "send")
    form = GreetingForm(request.POST, templates=templates)
    if action == "load":
        # Start again from the chosen template, keeping when and how it goes.
        picked = form.data.get("template") or ""
        chosen = next((t for t in templates if str(t.pk) == picked), None)
        initial = _initial(chosen, language=language, day=day, today=today)
        for name in ("when", "day", "time"):
            if form.data.get(name):
                initial[name] = form.data.get(name)
        initial["personal"] = bool(form.data.get("personal"))
        form = GreetingForm(initial=initial, templates=templates)
        partial = "occasions/_greeting_form.html" if is_htmx(request) else ""
        return _page(request, client=client, occasion=occasion, form=form, partial=partial)

    if not form.is_valid():
        partial = (
            "occasions/_greeting_preview.html" if action == "preview" and is_htmx(request) else ""
        )
        return _page(request, client=client, occasion=occasion, form=form, partial=partial)
    preview, problems = _preview(user, client, occasion, form, templates)
    for field, messages_ in problems.items():
        form.add_error(field, messages_)
    if action == "preview":
        partial = "occasions/_greeting_preview.html" if is_htmx(request) else ""
        return _page(
            request, client=client, occasion=occasion, form=form, preview=preview, partial=partial
        )
    if problems:
        return _page(request, client=client, occasion=occasion, form=form)
    data = form.cleaned_data
    template = next((t for t in templates if t.pk == data.get("template")), None)
    try:
        greeting = services.greeting_send(
            actor=user,
            contact=client if isinstance(client, Contact) else None,
            company=client if isinstance(client, Company) else None,
            subject=data["subject"],
            body=data["body"],
            language=data["language"],
            personal=bool(data.get("personal")),
            template=template,
            occasion=occasion,
            send_at=_send_at(user, form),
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _page(request, client=client, occasion=occasion, form=form, preview=preview)
    if greeting.status == greeting.Status.SCHEDULED:
        text = _("The greeting to %(name)s will be sent on %(when)s.") % {
            "name": client,
            "when": timezone.localtime(greeting.send_at, user_zone(user)).strftime(
                "%d.%m.%Y %H:%M"
            ),
        }
    else:
        text = _("The greeting to %(name)s is on its way.") % {"name": client}
    messages.success(request, text)
    return redirect(_client_url(client))


@login_required
@require_POST
def greeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    require_writer(user)
    greeting = selectors.greeting_get(user, pk)
    try:
        services.greeting_cancel(actor=user, greeting=greeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The greeting is cancelled; it will not be sent."))
    target = "/"
    if greeting.contact_id is not None:
        target = reverse("contacts:detail", args=[greeting.contact_id])
    elif greeting.company_id is not None:
        target = reverse("contacts:company_detail", args=[greeting.company_id])
    return redirect(target)


# --- the client's panel and actions -----------------------------------------------------------


def client_greetings(request: HttpRequest, record: Any) -> dict[str, Any] | None:
    """The panel's data: the client's latest greetings with their status (one query)."""
    if not isinstance(record, Contact | Company):
        return None
    user = current_user(request)
    query = urlencode({_client_param(record): record.pk})
    return {
        "greetings": selectors.client_greetings_recent(user, record),
        "can_write": user.can_write,
        "has_email": bool(record.primary_email),
        "new_url": f"{reverse('occasions:greeting_new')}?{query}",
        **_instead_urls(record),
    }


def register_extensions() -> None:
    register_panel(
        Panel(
            key="greetings",
            targets=frozenset({"contact", "company"}),
            order=45,
            template="occasions/_greetings_panel.html",
            context=client_greetings,
        )
    )
    for target in ("contact", "company"):
        register_action(
            Action(
                key=f"greeting_new_{target}",
                targets=frozenset({target}),
                order=40,
                label=gettext_lazy("Send a greeting"),
                url_name="occasions:greeting_new",
                param=target,
            )
        )
    register_action(
        Action(
            key="greeting_new_occasion",
            targets=frozenset({"occasion_row"}),
            order=40,
            label=gettext_lazy("Send a greeting"),
            url_name="occasions:greeting_new",
            param="occasion",
        )
    )


@csrf_exempt  # a mail program's one-click POST (RFC 8058) carries no CSRF token; the link is signed
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The marketing email's "receive no more": asks on GET, withdraws the consent on POST."""
    contact = contact_for_token(token)
    if contact is None:
        raise Http404
    done = False
    if request.method == "POST":
        marketing_consent_withdraw(contact)
        done = True
    with translation.override(selectors.greeting_language(contact)):
        response = render(request, "occasions/unsubscribe.html", {"done": done, "token": token})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
