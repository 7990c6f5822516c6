"""The JSON API root: every app's router is mounted here under /api/v1/.

Every error leaves in one shape (`clientela.accounts.api.ErrorOut`), whether a service refused
a value, the request did not parse, or the record is not there:

    {"detail": "What went wrong, in the caller's language",
     "errors": [{"field": "phones", "messages": ["..."]}, ...]}

`field` is the input field (`custom.<key>` for a custom field), null for the request as a
whole; `errors` is empty when no field is to blame. The status says which kind of error:

    400  a filter, sort, cursor or query value that cannot be understood; a body not JSON
    401  no valid token and no signed-in session
    403  the caller's role may not do this, or the session's CSRF check failed
    404  not there, or not visible to the caller (the two are never told apart)
    405  a method the path does not take
    409  an email or phone already in use (adds `duplicates`), or a newer version of the record
    413  a body over the size limit
    422  a value refused, named by its field; nothing was saved
    500  our fault; logged
"""

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from clientela.accounts.api import ApiError, BadQuery, SessionAuth, TokenAuth
from clientela.accounts.api import router as token_router
from clientela.activities.api import router as activities_router
from clientela.contacts.api import company_router, contact_router, lookup_router
from clientela.core.errors import DuplicateFound, EditConflict
from clientela.occasions.api import router as occasions_router
from clientela.retention.complaints.api import router as complaints_router
from clientela.retention.discounts.api import router as discounts_router
from clientela.retention.experiments.api import router as experiments_router
from clientela.retention.health.api import router as health_router
from clientela.retention.surveys.api import router as surveys_router
from clientela.sales.api import router as sales_router

logger = logging.getLogger(__name__)


class ClientelaAPI(NinjaAPI):
    """A NinjaAPI whose every answer is JSON in the one error shape, even outside an endpoint.

    ninja answers a wrong method with a plain-text 405, and an unknown path under /api/v1/
    would get Django's HTML 404 page; both become JSON here.
    """

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns: list[URLResolver | URLPattern] = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern):
                pattern = URLPattern(
                    pattern.pattern,
                    _json_edges(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            patterns.append(pattern)
        patterns.append(re_path(r"^", _json_edges(_unknown_path), name="unknown-path"))
        return patterns


def _json_edges(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)  # keeps ninja's csrf_exempt: its auth does the CSRF check
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(request, 404, _("Not found."))
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = error_response(request, 405, _("This method is not allowed here."))
            response["Allow"] = allowed
        return response

    return wrapped


def _unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
    raise Http404


class ReadableJSON(JSONRenderer):
    # Ukrainian and Russian text as letters, not \u escapes: the body is UTF-8 anyway.
    json_dumps_params = {"ensure_ascii": False}


api = ClientelaAPI(
    title="Clientela API",
    renderer=ReadableJSON(),
    version="1",
    description=(
        "Contacts, companies, tags, search, pipelines, deals, purchases, activities and tasks, "
        "occasions, client dates, gestures and greetings. "
        "Authenticate with a personal token "
        "(`Authorization: Bearer clt_…`) or the signed-in browser session (send the CSRF token "
        "for writes)."
    ),
    urls_namespace="api",
    # Served from ninja's own static files; no validator badge fetched from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth()],
)

api.add_router("/contacts", contact_router)
api.add_router("/companies", company_router)
api.add_router("/tokens", token_router)
api.add_router("/", lookup_router)
api.add_router("/", occasions_router)
api.add_router("/", sales_router)
api.add_router("/", activities_router)
api.add_router("/", discounts_router)
api.add_router("/", complaints_router)
api.add_router("/", surveys_router)
api.add_router("/", health_router)
api.add_router("/", experiments_router)


# --- one shape for every error -----------------------------------------------------------------

FieldErrors = Iterable[tuple[str | None, Iterable[Any]]]


def error_response(
    request: HttpRequest, status: int, detail: str, errors: FieldErrors = (), **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "detail": str(detail),
        "errors": [{"field": f, "messages": [str(m) for m in ms]} for f, ms in errors],
    }
    body.update(extra)
    return api.create_response(request, body, status=status)


def _django_errors(exc: DjangoValidationError) -> FieldErrors:
    if hasattr(exc, "error_dict"):
        return [
            (None if field == NON_FIELD_ERRORS else field, messages)
            for field, messages in exc.message_dict.items()
        ]
    return [(None, exc.messages)]


# Where ninja found the value: the first element of a pydantic error's location.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _pydantic_message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        # Our own validators raise ValueError with a message already translated.
        return str(ctx["error"])
    bounds = {
        "greater_than_equal": ("ge", _("Enter a value of at least %(limit)s.")),
        "less_than_equal": ("le", _("Enter a value of at most %(limit)s.")),
        "greater_than": ("gt", _("Enter a value greater than %(limit)s.")),
        "less_than": ("lt", _("Enter a value less than %(limit)s.")),
        "string_too_long": ("max_length", _("Enter at most %(limit)s characters.")),
        "string_too_short": ("min_length", _("Enter at least %(limit)s characters.")),
        "too_long": ("max_length", _("Give at most %(limit)s items.")),
        "too_short": ("min_length", _("Give at least %(limit)s items.")),
    }
    if kind in bounds:
        key, message = bounds[kind]
        return message % {"limit": ctx.get(key, "?")}
    if kind == "extra_forbidden":
        return _("There is no such field.")
    if kind == "missing":
        if not error.get("loc") or list(error["loc"])[-1] == "payload":
            return _("Send the record as a JSON object in the request body.")
        return _("This field is required.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_")):
        return _("Enter a number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind.startswith(("string_", "str_")):
        return _("Enter text.")
    if kind.startswith(("datetime_", "date_", "timezone_")):
        return _("Enter a date and time as YYYY-MM-DDThh:mm:ss±hh:mm.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return _("Enter an object.")
    return _("Enter a valid value.")


def _pydantic_errors(errors: list[dict[str, Any]]) -> tuple[set[str], FieldErrors]:
    sources: set[str] = set()
    by_field: dict[str | None, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc") or [])
        source = loc.pop(0) if loc and loc[0] in _SOURCES else "body"
        sources.add(source)
        if source == "body" and loc and loc[0] == "payload":
            loc.pop(0)  # the name of the view's body parameter, not a field of the request
        # "phones.0" is reported as "phones", like the services do; dict keys stay ("custom.size").
        field = ".".join(str(part) for part in loc if not isinstance(part, int)) or None
        messages = by_field.setdefault(field, [])
        message = _pydantic_message(error)
        if message not in messages:
            messages.append(message)
    return sources, list(by_field.items())


@api.exception_handler(NinjaValidationError)
def _on_invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    sources, errors = _pydantic_errors(exc.errors)
    if "path" in sources:
        # /contacts/abc names no record: that is "not found", as for any other missing id.
        return error_response(request, 404, _("Not found."))
    if sources <= {"query"}:
        return error_response(request, 400, _("Some query parameters are not valid."), errors)
    return error_response(request, 422, _("Some values are not valid."), errors)


@api.exception_handler(BadQuery)
def _on_bad_query(request: HttpRequest, exc: BadQuery) -> HttpResponse:
    errors = _django_errors(exc.error)
    return error_response(request, 400, _("Some query parameters are not valid."), errors)


@api.exception_handler(DjangoValidationError)
def _on_refused_value(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error_response(request, 422, _("Some values are not valid."), _django_errors(exc))


@api.exception_handler(DuplicateFound)
def _on_duplicate(request: HttpRequest, exc: DuplicateFound) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for match in exc.matches:
        fields.setdefault(match.field, []).append(
            _("“%(value)s” is already in use.") % {"value": match.value}
        )
    duplicates = [
        {"field": m.field, "value": m.value, "id": m.record.pk if m.record is not None else None}
        for m in exc.matches
    ]
    return error_response(
        request,
        409,
        _(
            "A record with this email or phone already exists. Send allow_duplicate=true to save anyway."
        ),
        fields.items(),
        duplicates=duplicates,
    )


@api.exception_handler(EditConflict)
def _on_edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    return error_response(request, 409, str(exc), [("expected_updated_at", [str(exc)])])


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(AuthenticationError)
def _on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request, 401, _("Sign in, or send a valid token: Authorization: Bearer clt_…")
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


_HTTP_MESSAGES = {
    400: lambda: _("The request body is not valid JSON."),
    403: lambda: _("You may not do this."),
    405: lambda: _("This method is not allowed here."),
    429: lambda: _("Too many requests; try again later."),
}


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, ApiError):
        return error_response(request, exc.status_code, exc.message)
    # ninja's own messages are English only; say the same in the caller's language.
    message = _HTTP_MESSAGES.get(exc.status_code, lambda: _("The request cannot be served."))
    return error_response(request, exc.status_code, message())


@api.exception_handler(SuspiciousOperation)
def _on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(request, 413, _("The request is too large."))
    return error_response(request, 400, _("The request cannot be understood."))


@api.exception_handler(Exception)
def _on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(request, 500, _("Something went wrong on our side; it has been logged."))
