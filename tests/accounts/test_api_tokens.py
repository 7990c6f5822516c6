"""Personal API tokens: shown once, stored as a hash, revocable, touched at most once a minute."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.accounts.models import ApiToken, User
from clientela.accounts.services import (
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)


def test_create_returns_the_secret_and_stores_only_its_hash(owner: User) -> None:
    # when
    token, raw = api_token_create(user=owner, name="  Zapier  ")

    # then
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw.startswith(TOKEN_PREFIX)
    assert len(raw) > 40
    assert stored.name == "Zapier"
    assert stored.user == owner
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:12]
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not [name for name, value in row.items() if isinstance(value, str) and raw in value]


def test_every_token_is_different(owner: User) -> None:
    raws = {api_token_create(user=owner, name=f"t{i}")[1] for i in range(5)}

    assert len(raws) == 5


@pytest.mark.parametrize("name", ["", "   "])
def test_a_token_needs_a_name(owner: User, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        api_token_create(user=owner, name=name)

    assert "name" in caught.value.message_dict
    assert not ApiToken.objects.exists()


def test_the_secret_authenticates_its_user(owner: User) -> None:
    _token, raw = api_token_create(user=owner, name="CI")

    assert api_token_authenticate(raw) == owner


@pytest.mark.parametrize(
    "make_guess",
    [
        pytest.param(lambda raw: raw + "x", id="longer"),
        pytest.param(lambda raw: raw[:-1], id="shorter"),
        pytest.param(lambda raw: raw.upper(), id="other-case"),
        pytest.param(lambda raw: raw[len(TOKEN_PREFIX) :], id="without-prefix"),
        pytest.param(lambda raw: hashlib.sha256(raw.encode()).hexdigest(), id="the-hash"),
        pytest.param(lambda raw: TOKEN_PREFIX + "unknown", id="unknown"),
        pytest.param(lambda raw: "", id="empty"),
    ],
)
def test_anything_but_the_exact_secret_fails(owner: User, make_guess: object) -> None:
    _token, raw = api_token_create(user=owner, name="CI")

    assert api_token_authenticate(make_guess(raw)) is None  # type: ignore[operator]


def test_a_revoked_token_fails(owner: User) -> None:
    token, raw = api_token_create(user=owner, name="CI")

    api_token_revoke(token=token, actor=owner)

    assert api_token_authenticate(raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_a_token_of_a_deactivated_user_fails(owner: User) -> None:
    _token, raw = api_token_create(user=owner, name="CI")
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert api_token_authenticate(raw) is None


def test_revoking_again_keeps_the_first_time(owner: User) -> None:
    token, _raw = api_token_create(user=owner, name="CI")
    api_token_revoke(token=token, actor=owner)
    first = ApiToken.objects.get(pk=token.pk).revoked_at

    api_token_revoke(token=ApiToken.objects.get(pk=token.pk), actor=owner)

    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


@pytest.mark.parametrize("persona", ["teammate", "lead", "outsider", "viewer"])
def test_only_the_user_or_an_admin_revokes(
    request: pytest.FixtureRequest, owner: User, persona: str
) -> None:
    token, raw = api_token_create(user=owner, name="CI")

    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=request.getfixturevalue(persona))

    assert api_token_authenticate(raw) == owner


def test_an_admin_revokes_anyones_token(owner: User, admin: User) -> None:
    token, raw = api_token_create(user=owner, name="CI")

    api_token_revoke(token=token, actor=admin)

    assert api_token_authenticate(raw) is None


def test_first_use_is_recorded(owner: User) -> None:
    token, raw = api_token_create(user=owner, name="CI")
    before = timezone.now()

    api_token_authenticate(raw)

    used = ApiToken.objects.get(pk=token.pk).last_used_at
    assert used is not None
    assert used >= before


def test_use_within_a_minute_writes_nothing(owner: User, django_assert_num_queries: object) -> None:
    # given a token used 30 seconds ago
    token, raw = api_token_create(user=owner, name="CI")
    recently = timezone.now() - datetime.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)

    # when it is used again: one read, no write
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert api_token_authenticate(raw) == owner

    # then
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recently


def test_use_after_a_minute_is_recorded(owner: User) -> None:
    token, raw = api_token_create(user=owner, name="CI")
    long_ago = timezone.now() - datetime.timedelta(seconds=61)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)

    api_token_authenticate(raw)

    assert ApiToken.objects.get(pk=token.pk).last_used_at > long_ago + datetime.timedelta(
        seconds=60
    )


def test_str_shows_the_name_and_prefix_never_the_secret(owner: User) -> None:
    token, raw = api_token_create(user=owner, name="CI")

    assert str(token) == f"CI ({raw[:12]}…)"
    assert raw not in str(token)
