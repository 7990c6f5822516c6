import random
import re
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.db.models import F, Max, Min
from django.utils import timezone

from clientela.accounts.models import Role, Team, User
from clientela.activities.models import Activity, ActivityKind, Task, TaskOrigin
from clientela.contacts.models import Channel, Company, Contact
from clientela.core.models import AuditEvent
from clientela.occasions.models import Gesture, Occasion, OccasionKind
from clientela.sales.models import Deal, Purchase, Stage, StageKind
from clientela.web.management.commands.demo import (
    DEMO_PASSWORD,
    USERS,
    DemoBuilder,
    edrpou,
    feminine_surname,
)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_fills_an_empty_database_once(db, django_capture_on_commit_callbacks):
    # when (follow-ups of won deals are created once the demo's transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        first = run_demo()
    counts = (User.objects.count(), Company.objects.count(), Contact.objects.count())
    second = run_demo()

    # then: users in two teams, ~60 companies, ~300 contacts, all made through the services
    assert counts == (len(USERS), 60, 300)
    assert Team.objects.count() == 2
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert AuditEvent.objects.filter(action="create").count() >= 360
    admin = User.objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD)
    for username in ("admin", "olena", "james", "sofia"):
        assert re.search(rf"^\s+{username}\s+{DEMO_PASSWORD}\s", first, re.MULTILINE)
    assert "http://127.0.0.1:8000/" in first

    # and the second run adds nothing, but still shows how to log in
    assert (User.objects.count(), Company.objects.count(), Contact.objects.count()) == counts
    assert "nothing was added" in second
    assert DEMO_PASSWORD in second

    # every phone is stored in E.164 and is a valid number; no email or phone is shared
    phones = list(Channel.objects.filter(kind=Channel.Kind.PHONE).values_list("value", flat=True))
    assert len(phones) > 300
    for phone in phones:
        assert E164.match(phone), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone, None)), phone
    assert len(set(phones)) == len(phones)
    emails = list(Channel.objects.filter(kind=Channel.Kind.EMAIL).values_list("value", flat=True))
    assert len(set(emails)) == len(emails) > 200

    # names carry patronymics in uk/ru, none in en; some birthdays lack the year; some consent
    contacts = Contact.objects.all()
    assert not contacts.filter(language__in=["uk", "ru"], middle_name="").exists()
    assert not contacts.filter(language="en").exclude(middle_name="").exists()
    assert contacts.filter(birth_day__isnull=False, birth_year__isnull=True).exists()
    assert contacts.filter(birth_year__isnull=False).exists()
    assert contacts.filter(marketing_consent=True, consent_at__isnull=False).exists()
    assert contacts.filter(company__isnull=False).count() > 150
    # a contact at a company belongs to the company's owner, so the owner sees both
    assert not contacts.filter(company__isnull=False).exclude(owner=F("company__owner")).exists()

    # deals in every stage of every pipeline, purchases over two years, follow-ups of won deals
    for stage in Stage.objects.all():
        assert Deal.objects.filter(stage=stage).exists(), stage
    days = Purchase.objects.aggregate(first=Min("date"), last=Max("date"))
    assert (days["last"] - days["first"]).days > 600
    won = Deal.objects.filter(stage__kind=StageKind.WON).count()
    assert Task.objects.filter(origin=TaskOrigin.FOLLOW_UP).count() == won > 0
    # calls every working day, rated; open tasks overdue, today and ahead
    calls = Activity.objects.filter(kind=ActivityKind.CALL)
    assert calls.count() > 300
    assert calls.filter(draining__gte=4).exists()
    assert calls.filter(mood__isnull=False).exists()
    assert set(Activity.objects.values_list("kind", flat=True)) == set(ActivityKind.values)
    today = timezone.localdate()
    open_tasks = Task.objects.filter(done_at__isnull=True)
    assert open_tasks.filter(due_date__lt=today).exists()
    assert open_tasks.filter(due_date=today).exists()
    assert open_tasks.filter(due_date__gt=today).exists()
    # clients' yearly dates computed from their records, and gestures with their cost
    assert Occasion.objects.filter(kind=OccasionKind.BIRTHDAY).count() > 150
    assert Occasion.objects.filter(kind=OccasionKind.NAME_DAY).count() > 100
    assert Gesture.objects.filter(cost__gt=0).exists()
    # every contact's anniversary is their first purchase, a back-dated won deal's too
    first = dict(
        Purchase.objects.filter(contact__isnull=False)
        .values_list("contact_id")
        .annotate(first=Min("date"))
    )
    anniversaries = Occasion.objects.filter(
        kind=OccasionKind.ANNIVERSARY, manual=False, contact__isnull=False
    )
    assert anniversaries.count() > 50
    for occasion in anniversaries:
        bought = first[occasion.contact_id]
        assert (occasion.year, occasion.month, occasion.day) == (
            bought.year,
            bought.month,
            bought.day,
        ), occasion.contact_id


def test_demo_leaves_a_database_with_data_alone(owner):
    # given a database someone already uses
    before = User.objects.count()

    # when
    output = run_demo()

    # then
    assert "already has data" in output
    assert User.objects.count() == before
    assert Contact.objects.count() == 0
    assert DEMO_PASSWORD not in output


@pytest.mark.parametrize(
    ("surname", "language", "feminine"),
    [
        ("Шевченко", "uk", "Шевченко"),
        ("Яворський", "uk", "Яворська"),
        ("Мельник", "uk", "Мельник"),
        ("Волков", "ru", "Волкова"),
        ("Ильин", "ru", "Ильина"),
        ("Никольский", "ru", "Никольская"),
        ("Carter", "en", "Carter"),
    ],
)
def test_women_get_the_feminine_form_of_a_surname(surname, language, feminine):
    assert feminine_surname(surname, language) == feminine


def test_patronymic_and_surname_agree_with_the_persons_gender():
    builder = DemoBuilder(seed=7)
    for _ in range(200):
        for language in ("uk", "ru"):
            person = builder.person(language)
            woman = person["middle_name"].endswith("вна")
            assert woman != person["middle_name"].endswith("вич"), person
            if woman:
                assert not re.search(r"(ов|ев|ин|ський|ский)$", person["last_name"]), person


def test_same_seed_gives_the_same_people():
    first, second = DemoBuilder(seed=3), DemoBuilder(seed=3)
    assert [first.person("uk") for _ in range(20)] == [second.person("uk") for _ in range(20)]


@pytest.mark.parametrize("code", ["00032129", "14360570", "40075815", "20077720"])
def test_edrpou_check_accepts_real_codes(code):
    # Oschadbank, PrivatBank, Ukrzaliznytsia, Naftogaz: published codes
    assert edrpou_is_valid(code)
    assert not edrpou_is_valid(code[:7] + str((int(code[7]) + 1) % 10))


def test_generated_edrpou_codes_are_valid():
    rng = random.Random(1)
    codes = [edrpou(rng) for _ in range(300)]
    assert all(len(code) == 8 and edrpou_is_valid(code) for code in codes)
    assert len(set(codes)) > 290


def edrpou_is_valid(code: str) -> bool:
    """The State Statistics check-digit rule, written independently of the generator."""
    digits = [int(c) for c in code]
    weights = (
        [7, 1, 2, 3, 4, 5, 6] if 30_000_000 < int(code) < 60_000_000 else [1, 2, 3, 4, 5, 6, 7]
    )
    check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if check == 10:
        check = sum(d * (w + 2) for d, w in zip(digits, weights, strict=False)) % 11
    return check % 10 == digits[7]
