"""The API's edge: who is calling, the shape of every error, and the caller's own tokens.

Every router of the API builds on this module (it sits in `accounts`, the lowest app with an
API, so the routers above it can import it without a cycle).
"""

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import AfterValidator, ConfigDict, PlainSerializer

from clientela.accounts.models import ApiToken, User
from clientela.accounts.services import api_token_authenticate, api_token_create, api_token_revoke

# The largest primary key the databases store (a signed 64-bit integer); anything larger is
# refused at the edge, before SQLite overflows or PostgreSQL answers with an error.
MAX_ID = 2**63 - 1


# --- who is calling ---------------------------------------------------------------------------


class ApiError(HttpError):
    """An HTTP error whose message is already written (and translated) for the caller."""


class BadQuery(Exception):
    """Filters, sorting or a page cursor that cannot be understood: HTTP 400, not 422."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def _bearer_given(request: HttpRequest) -> bool:
    scheme = request.headers.get("Authorization", "").split(" ", 1)[0]
    return scheme.lower() == "bearer"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer clt_...` with a personal token; no CSRF, no cookies."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token.strip())
        if user is not None and user.language:
            # The session's language middleware never sees a token caller; speak its language.
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session, with Django's CSRF check on every unsafe method.

    A request that carries a bearer token is judged by the token alone: a wrong token is a
    401, never a fall-back to whatever session cookie the client also sent.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        if _bearer_given(request):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                _(
                    "CSRF check failed: send the X-CSRFToken header with the value of the csrftoken cookie."
                ),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return self(request)  # pragma: no cover - __call__ does the work


def actor(request: HttpRequest) -> User:
    """The user an authenticated API request acts for."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


# --- shapes shared by every router -------------------------------------------------------------


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it here with a message instead of a 500.
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    return value


def _iso(value: datetime.datetime) -> str:
    # Full precision: a client sends updated_at back as expected_updated_at and it must match
    # to the microsecond (Django's JSON encoder would cut it to milliseconds).
    return value.isoformat()


Text = Annotated[str, AfterValidator(_no_nul)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
Timestamp = Annotated[datetime.datetime, PlainSerializer(_iso, return_type=str)]


class FieldErrorOut(Schema):
    field: str | None = Field(
        description="The input field, e.g. `phones` or `custom.size`; null for the whole request."
    )
    messages: list[str]


class ErrorOut(Schema):
    """Every error of the API has this shape (a 409 for duplicates adds `duplicates`)."""

    detail: str
    errors: list[FieldErrorOut] = Field(default_factory=list)


def error_responses(*codes: int) -> dict[int, Any]:
    """The documented error answers of an endpoint: `{**error_responses(401, 404)}`."""
    return dict.fromkeys(codes, ErrorOut)


# --- the caller's tokens -----------------------------------------------------------------------


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it.")
    created_at: Timestamp
    last_used_at: Timestamp | None
    revoked_at: Timestamp | None


class TokenCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(description="Where the token is used, e.g. “Website form”.")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret. It is shown this once and never again.")


def _tokens_of(user: User) -> QuerySet[ApiToken]:
    # No selector for tokens exists in accounts yet; this is the one read the API needs.
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def _own_token(user: User, pk: int) -> ApiToken:
    token = _tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


router = Router(tags=["tokens"])


@router.get("", response={200: list[TokenOut], **error_responses(401)})
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    """The caller's personal access tokens, newest first (revoked ones included)."""
    return _tokens_of(actor(request))


@router.post("", response={201: TokenCreatedOut, **error_responses(401, 422)})
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status:
    """A new token for the caller. The answer holds the secret; store it now."""
    with transaction.atomic():
        token, raw = api_token_create(user=actor(request), name=payload.name)
        out = TokenCreatedOut(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
            token=raw,
        )
    return Status(201, out)


@router.delete("/{token_id}", response={204: None, **error_responses(401, 404)})
def token_revoke(request: HttpRequest, token_id: RecordId) -> Status:
    """Revoke one of the caller's tokens; it stops working at once."""
    user = actor(request)
    with transaction.atomic():
        api_token_revoke(token=_own_token(user, token_id), actor=user)
    return Status(204, None)
