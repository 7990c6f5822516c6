"""Personas and factories shared by every test.

The personas (after healthchecks' alice/bob/charlie): `owner` owns the records under test;
`teammate` is a manager in the same team; `lead` leads that team; `outsider` is a manager in
another team; `admin` sees everything; `viewer` reads the team's records and changes nothing.
"""

from typing import Any

import factory
import pytest
from django.test import Client

from clientela.accounts.models import Role, Team, User
from clientela.accounts.services import team_create, user_create
from clientela.contacts.models import Company, Contact
from clientela.contacts.services import company_create, contact_create

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.MANAGER
    team = None

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> User:
        return user_create(password=PASSWORD, **kwargs)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    """Settings every test shares.

    Personas are made with a password in most tests, and argon2 is slow by design (the
    password tests put it back); pages render without `collectstatic`, so the static files
    storage is the plain one instead of the production manifest.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_contact(owner: User, **data: Any) -> Contact:
    """A contact created the way a user creates one: through the service."""
    data.setdefault("first_name", "Олена")
    data.setdefault("last_name", "Шевченко")
    return contact_create(actor=owner, data=data, allow_duplicate=True)


def make_company(owner: User, **data: Any) -> Company:
    data.setdefault("name", "ТОВ Ромашка")
    return company_create(actor=owner, data=data, allow_duplicate=True)


@pytest.fixture
def team_a(db: Any) -> Team:
    return team_create(name="Kyiv")


@pytest.fixture
def team_b(db: Any) -> Team:
    return team_create(name="Lviv")


@pytest.fixture
def owner(team_a: Team) -> User:
    return UserFactory(username="owner", role=Role.MANAGER, team=team_a)


@pytest.fixture
def teammate(team_a: Team) -> User:
    return UserFactory(username="teammate", role=Role.MANAGER, team=team_a)


@pytest.fixture
def lead(team_a: Team) -> User:
    return UserFactory(username="lead", role=Role.LEAD, team=team_a)


@pytest.fixture
def outsider(team_b: Team) -> User:
    return UserFactory(username="outsider", role=Role.MANAGER, team=team_b)


@pytest.fixture
def admin(db: Any) -> User:
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def viewer(team_a: Team) -> User:
    return UserFactory(username="viewer", role=Role.VIEWER, team=team_a)


@pytest.fixture
def contact(owner: User) -> Contact:
    return make_contact(
        owner,
        middle_name="Петрівна",
        phones=["067 123 45 67"],
        emails=["olena.shevchenko@example.com"],
        tags=["VIP"],
    )


@pytest.fixture
def company(owner: User) -> Company:
    return make_company(owner, phones=["044 123 45 67"], emails=["office@romashka.example"])


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
