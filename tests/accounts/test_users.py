"""Users, roles, scopes and preferences."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from clientela import settings as project_settings
from clientela.accounts.models import DEFAULT_SCOPE, Role, Scope, Team, User
from clientela.accounts.services import team_create, user_create, user_set_preferences
from clientela.accounts.visibility import assignable_users
from conftest import PASSWORD


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.ADMIN, Scope.ALL),
        (Role.LEAD, Scope.TEAM),
        (Role.MANAGER, Scope.OWN),
        (Role.VIEWER, Scope.TEAM),
    ],
)
def test_each_role_has_its_default_scope(db: Any, role: str, scope: str) -> None:
    user = user_create(username=f"u-{role}", password=None, role=role)

    assert DEFAULT_SCOPE[Role(role)] == scope
    assert user.effective_scope == scope


@pytest.mark.parametrize(
    ("persona", "scope", "can_write", "is_admin"),
    [
        ("owner", Scope.OWN, True, False),
        ("teammate", Scope.OWN, True, False),
        ("lead", Scope.TEAM, True, False),
        ("outsider", Scope.OWN, True, False),
        ("admin", Scope.ALL, True, True),
        ("viewer", Scope.TEAM, False, False),
    ],
)
def test_personas(
    request: pytest.FixtureRequest, persona: str, scope: str, can_write: bool, is_admin: bool
) -> None:
    user: User = request.getfixturevalue(persona)

    assert (user.effective_scope, user.can_write, user.is_admin) == (scope, can_write, is_admin)


def test_a_set_scope_wins_over_the_role(owner: User) -> None:
    owner.scope = Scope.TEAM

    assert owner.effective_scope == Scope.TEAM


def test_a_superuser_sees_all_whatever_its_role(owner: User) -> None:
    owner.is_superuser = True

    assert owner.effective_scope == Scope.ALL
    assert owner.is_admin


def test_an_inactive_user_cannot_write(owner: User) -> None:
    owner.is_active = False

    assert not owner.can_write


def test_a_deactivated_admin_has_no_admin_powers(admin: User) -> None:
    admin.is_active = False

    assert not admin.is_admin
    assert not admin.can_write


def test_admin_is_staff_and_superuser_others_are_not(admin: User, lead: User) -> None:
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert (lead.is_staff, lead.is_superuser) == (False, False)


def test_unknown_role_is_refused(db: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(username="x", password=None, role="owner")

    assert "role" in caught.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_taken_username_is_refused(owner: User) -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(username="owner", password=None)

    assert "username" in caught.value.message_dict
    assert User.objects.filter(username="owner").count() == 1


def test_password_is_hashed_with_argon2_and_checks(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the fast one is for tests

    user = user_create(username="olena", password=PASSWORD)

    assert user.password.startswith("argon2$")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
    assert not user.check_password("wrong")


def test_user_without_a_password_cannot_log_in(db: Any) -> None:
    user = user_create(username="robot", password=None)

    assert not user.has_usable_password()


def test_team_create_is_idempotent_and_trims(db: Any) -> None:
    first = team_create(name=" Kyiv ")
    second = team_create(name="Kyiv")

    assert first == second
    assert Team.objects.get().name == "Kyiv"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", {"owner"}),
        # A viewer cannot work on a record, so nobody may hand one to a viewer.
        ("lead", {"owner", "teammate", "lead"}),
        ("viewer", {"owner", "teammate", "lead"}),
        ("admin", {"owner", "teammate", "lead", "outsider", "admin"}),
    ],
)
def test_assignable_users(
    request: pytest.FixtureRequest,
    owner: User,
    teammate: User,
    lead: User,
    viewer: User,
    outsider: User,
    admin: User,
    persona: str,
    expected: set[str],
) -> None:
    user: User = request.getfixturevalue(persona)

    assert set(assignable_users(user).values_list("username", flat=True)) == expected


def test_inactive_users_are_not_assignable(lead: User, teammate: User) -> None:
    teammate.is_active = False
    teammate.save(update_fields=["is_active"])

    assert "teammate" not in set(assignable_users(lead).values_list("username", flat=True))


# --- preferences ------------------------------------------------------------------------------


def test_preferences_are_saved(owner: User) -> None:
    user_set_preferences(user=owner, language="ru", time_zone="Europe/Kyiv")

    owner.refresh_from_db()
    assert (owner.language, owner.time_zone) == ("ru", "Europe/Kyiv")


def test_empty_preferences_mean_the_site_default(owner: User) -> None:
    user_set_preferences(user=owner, language="en", time_zone="UTC")

    user_set_preferences(user=owner, language="", time_zone="")

    owner.refresh_from_db()
    assert (owner.language, owner.time_zone) == ("", "")


def test_a_preference_not_given_is_kept(owner: User) -> None:
    user_set_preferences(user=owner, language="uk", time_zone="Europe/Kyiv")

    user_set_preferences(user=owner, language="en")

    owner.refresh_from_db()
    assert (owner.language, owner.time_zone) == ("en", "Europe/Kyiv")


@pytest.mark.parametrize(
    ("language", "time_zone", "fields"),
    [
        ("de", None, {"language"}),
        ("EN", None, {"language"}),
        (None, "Mars/Olympus_Mons", {"time_zone"}),
        (None, "europe/kyiv", {"time_zone"}),
        ("de", "Nowhere", {"language", "time_zone"}),
        ("ru", "Nowhere", {"time_zone"}),
        ("xx", "Europe/Kyiv", {"language"}),
    ],
)
def test_bad_preferences_name_the_field_and_change_nothing(
    owner: User, language: str | None, time_zone: str | None, fields: set[str]
) -> None:
    # given
    user_set_preferences(user=owner, language="uk", time_zone="UTC")

    # when
    with pytest.raises(ValidationError) as caught:
        user_set_preferences(user=owner, language=language, time_zone=time_zone)

    # then: neither the database nor the object in hand changed
    assert set(caught.value.message_dict) == fields
    assert (owner.language, owner.time_zone) == ("uk", "UTC")
    owner.refresh_from_db()
    assert (owner.language, owner.time_zone) == ("uk", "UTC")
