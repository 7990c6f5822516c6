import secrets
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import ApiToken, Role, Team, User, hash_token

TOKEN_PREFIX = "clt_"


@transaction.atomic
def team_create(*, name: str) -> Team:
    team, _created = Team.objects.get_or_create(name=name.strip())
    return team


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str = Role.MANAGER,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "",
) -> User:
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role %(role)s.") % {"role": role}]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    user = User(
        username=username,
        role=role,
        team=team,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_set_preferences(
    *, user: User, language: str | None = None, time_zone: str | None = None
) -> User:
    """Set the user's language and time zone ("" for the site default); both or neither.

    Both values are checked before either is set, so a bad one leaves the user as it was,
    in the database and in memory (the request's user object).
    """
    errors: dict[str, list[str]] = {}
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Unknown language.")]
    if time_zone and time_zone not in available_timezones():
        errors["time_zone"] = [_("Unknown time zone.")]
    if errors:
        raise ValidationError(errors)
    fields = []
    if language is not None:
        user.language = language
        fields.append("language")
    if time_zone is not None:
        user.time_zone = time_zone
        fields.append("time_zone")
    if fields:
        user.save(update_fields=fields)
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the secret, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name, e.g. where it is used.")]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:12], digest=hash_token(raw)
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.user_id != actor.pk and not actor.is_admin:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy integration should not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
