"""The occasions API: the agenda, holidays, a client's dates, gestures and greetings; round
trips, errors named by field, who may see and change what, and the cost of a list."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.contacts.models import Company, Contact
from clientela.core.models import FirmSettings
from clientela.occasions.models import FirmDate, Gesture, Greeting, GreetingTemplate, Occasion
from clientela.occasions.services import custom_date_add
from clientela.occasions.services_gestures import gesture_create
from conftest import make_company, make_contact
from sales.support import api_as, error_fields

from .agenda_support import bare_contact, make_occasion

pytestmark = pytest.mark.django_db

TOKEN = 1  # the token check, its user joined


def _in(user: User, days: int) -> datetime.date:
    return user_today(user) + datetime.timedelta(days=days)


def _on(client: Contact | Company, day: datetime.date, **kwargs: Any) -> Occasion:
    return make_occasion(client, month=day.month, day=day.day, **kwargs)


@pytest.fixture
def plain_days(owner: User) -> None:
    """The next days hold no 29 February, which moves between years."""
    days = {(_in(owner, n).month, _in(owner, n).day) for n in range(8)}
    if days & {(2, 28), (2, 29), (3, 1)}:
        pytest.skip("29 February moves around these days")


# --- the agenda ----------------------------------------------------------------------------------


def test_upcoming_lists_my_clients_occasions(owner: User, teammate: User, plain_days: None) -> None:
    person = bare_contact(owner, first_name="Ірина", last_name="Коваль")
    birthday = _on(person, _in(owner, 1), year=_in(owner, 1).year - 40)
    firm = make_company(owner, name="ТОВ Весна")
    Occasion.objects.filter(company=firm).delete()
    founded = _on(firm, _in(owner, 3), kind="custom", label="Founding day")
    _on(bare_contact(owner), _in(owner, 9))  # after the week
    _on(bare_contact(teammate, last_name="Чужий"), _in(owner, 1))

    response = api_as(owner).get("/occasions/upcoming")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["last_day"]) == (
        _in(owner, 0).isoformat(),
        _in(owner, 6).isoformat(),
    )
    assert (body["scope"], body["complete"], body["next_from"]) == ("mine", True, None)
    assert body["items"] == [
        {
            "occasion": birthday.pk,
            "date": _in(owner, 1).isoformat(),
            "kind": "birthday",
            "label": "",
            "turns": 40,
            "client": {"type": "contact", "id": person.pk, "name": person.full_name},
            "owner": {"id": owner.pk, "name": str(owner)},
        },
        {
            "occasion": founded.pk,
            "date": _in(owner, 3).isoformat(),
            "kind": "custom",
            "label": "Founding day",
            "turns": None,
            "client": {"type": "company", "id": firm.pk, "name": "ТОВ Весна"},
            "owner": {"id": owner.pk, "name": str(owner)},
        },
    ]
    month = api_as(owner).get("/occasions/upcoming", {"days": 30}).json()
    assert len(month["items"]) == 3
    assert month["last_day"] == _in(owner, 29).isoformat()


def test_team_scope_is_for_leads_as_on_the_page(
    owner: User, teammate: User, lead: User, plain_days: None
) -> None:
    mine = bare_contact(owner, last_name="Мій")
    theirs = bare_contact(teammate, last_name="Колеги")
    _on(mine, _in(owner, 1))
    _on(theirs, _in(owner, 2))

    as_lead = api_as(lead).get("/occasions/upcoming", {"scope": "team"}).json()
    as_manager = api_as(owner).get("/occasions/upcoming", {"scope": "team"}).json()

    assert as_lead["scope"] == "team"
    assert [i["client"]["id"] for i in as_lead["items"]] == [mine.pk, theirs.pk]
    assert as_manager["scope"] == "mine"  # a scope the caller may not choose, as the page does
    assert [i["client"]["id"] for i in as_manager["items"]] == [mine.pk]


def test_outsiders_clients_never_show(owner: User, outsider: User, admin: User) -> None:
    _on(bare_contact(outsider, last_name="Foreign"), _in(owner, 1))

    for user in (owner, admin):
        for scope in ("mine", "team"):
            body = api_as(user).get("/occasions/upcoming", {"scope": scope}).json()
            assert "Foreign" not in str(body)


def test_a_crowded_week_comes_in_whole_days(owner: User, plain_days: None) -> None:
    person = bare_contact(owner)
    Occasion.objects.bulk_create(
        [
            Occasion(
                contact=person,
                owner=owner,
                team_id=owner.team_id,
                kind="custom",
                month=day.month,
                day=day.day,
                mmdd=day.month * 100 + day.day,
                label=f"d{n}-{i}",
                manual=True,
            )
            for n, count in ((1, 250), (2, 60))
            for day in [_in(owner, n)]
            for i in range(count)
        ]
    )
    client = api_as(owner)

    first = client.get("/occasions/upcoming").json()
    rest = client.get("/occasions/upcoming", {"from": first["next_from"]}).json()

    assert (len(first["items"]), first["complete"]) == (250, False)
    assert first["next_from"] == _in(owner, 2).isoformat()
    assert (len(rest["items"]), rest["complete"], rest["next_from"]) == (60, True, None)
    assert rest["start"] == _in(owner, 2).isoformat()
    assert (first["next_skip"], rest["next_skip"]) == (0, 0)


def test_a_day_with_more_than_one_answer_holds_comes_in_parts(
    owner: User, plain_days: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientela.occasions.api import agenda as agenda_api

    monkeypatch.setattr(agenda_api, "UPCOMING_ROWS", 3)
    contact = make_contact(owner)
    day = _in(owner, 1)
    for i in range(7):
        custom_date_add(
            actor=owner, client=contact, data={"label": f"d{i}", "day": day.day, "month": day.month}
        )
    client = api_as(owner)

    labels: list[str] = []
    params: dict[str, Any] = {}
    for _part in range(5):
        body = client.get("/occasions/upcoming", params).json()
        labels += [item["label"] for item in body["items"]]
        if body["complete"]:
            break
        params = {"from": body["next_from"], "skip": body["next_skip"]}

    assert sorted(labels) == [f"d{i}" for i in range(7)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": 14}, "days"),
        ({"days": "week"}, "days"),
        ({"scope": "all"}, "scope"),
        ({"from": "завтра"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"from": -1}, "from"),
        ({"from": 7}, "from"),
    ],
)
def test_bad_upcoming_query_answers_400(owner: User, params: dict[str, Any], field: str) -> None:
    if params.get("from") in (-1, 7):
        params = {"from": _in(owner, int(params["from"])).isoformat()}
    response = api_as(owner).get("/occasions/upcoming", params)

    assert response.status_code == 400, response.content
    assert list(error_fields(response)) == [field]


def test_holidays_of_a_period(owner: User) -> None:
    FirmDate.objects.create(name="Founding day", month=12, day=30)

    response = api_as(owner).get(
        "/occasions/holidays", {"start": "2026-12-24", "end": "2027-01-01"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["country"]) == ("2026-12-24", "2027-01-01", "UA")
    assert body["country_problem"] is None
    assert body["items"] == [
        {"date": "2026-12-25", "name": "Christmas Day", "firm_date": False},
        {"date": "2026-12-30", "name": "Founding day", "firm_date": True},
        {"date": "2027-01-01", "name": "New Year's Day", "firm_date": False},
    ]


def test_holidays_by_default_from_today_and_in_an_unknown_country(owner: User) -> None:
    firm = FirmSettings.current()
    firm.holiday_country = "QQ"
    firm.save()

    body = api_as(owner).get("/occasions/holidays").json()

    assert (body["start"], body["end"]) == (_in(owner, 0).isoformat(), _in(owner, 29).isoformat())
    assert "QQ" in body["country_problem"]
    assert body["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-30"}, "start"),
        ({"start": "2026-01-01", "end": "1.2.2026"}, "end"),
        ({"start": "2026-02-01", "end": "2026-01-31"}, "end"),
        ({"start": "2026-01-01", "end": "2027-01-02"}, "end"),  # 367 days
    ],
)
def test_bad_holiday_period_answers_400(owner: User, params: dict[str, str], field: str) -> None:
    response = api_as(owner).get("/occasions/holidays", params)

    assert response.status_code == 400
    assert list(error_fields(response)) == [field]


def test_a_leap_year_is_366_days(owner: User) -> None:
    response = api_as(owner).get(
        "/occasions/holidays", {"start": "2028-01-01", "end": "2028-12-31"}
    )

    assert response.status_code == 200, response.content


# --- a client's dates ----------------------------------------------------------------------------


@pytest.fixture
def person(owner: User) -> Contact:
    return make_contact(owner, first_name="Олена", birth_day=21, birth_month=5, birth_year=1990)


def test_read_a_contacts_dates(owner: User, person: Contact) -> None:
    response = api_as(owner).get(f"/contacts/{person.pk}/dates")

    assert response.status_code == 200, response.content
    body = response.json()
    today = timezone.localdate()
    next_birthday = datetime.date(today.year, 5, 21)
    if next_birthday < today:
        next_birthday = next_birthday.replace(year=today.year + 1)
    assert body["client"] == {"type": "contact", "id": person.pk, "name": person.full_name}
    assert body["birthday"] == {
        "month": 5,
        "day": 21,
        "year": 1990,
        "next": next_birthday.isoformat(),
        "turns": next_birthday.year - 1990,
    }
    name_day = body["name_day"]
    assert (name_day["state"], name_day["tradition"], name_day["tradition_from_firm"]) == (
        "computed",
        FirmSettings.current().calendar_tradition,
        True,
    )
    assert name_day["saint"]
    assert name_day["month"]
    assert name_day["day"]
    assert name_day["next"]
    assert (body["anniversary"], body["anniversary_set"], body["client_since"]) == (
        None,
        False,
        None,
    )
    assert body["custom"] == []
    assert body["settings"] == {
        "tradition": "",
        "name_day_month": None,
        "name_day_day": None,
        "no_name_day": False,
        "client_since": None,
    }


def test_set_a_contacts_dates_changes_only_what_is_sent(owner: User, person: Contact) -> None:
    client = api_as(owner)

    first = client.patch(
        f"/contacts/{person.pk}/dates", {"tradition": "julian", "client_since": "2020-05-04"}
    )
    second = client.patch(f"/contacts/{person.pk}/dates", {"no_name_day": True})
    read = client.get(f"/contacts/{person.pk}/dates")

    assert first.status_code == 200, first.content
    body = first.json()
    assert body["settings"]["tradition"] == "julian"
    assert body["name_day"]["tradition_from_firm"] is False
    assert (body["anniversary"]["month"], body["anniversary"]["day"]) == (5, 4)
    assert (body["anniversary_set"], body["client_since"]) == (True, "2020-05-04")
    assert second.status_code == 200, second.content
    assert read.json() == second.json()
    assert second.json()["name_day"]["state"] == "not_celebrated"
    assert second.json()["settings"] == {
        "tradition": "julian",
        "name_day_month": None,
        "name_day_day": None,
        "no_name_day": True,
        "client_since": "2020-05-04",
    }


def test_a_name_day_set_by_hand(owner: User, person: Contact) -> None:
    response = api_as(owner).patch(
        f"/contacts/{person.pk}/dates", {"name_day_month": 9, "name_day_day": 30}
    )

    assert response.status_code == 200, response.content
    name_day = response.json()["name_day"]
    assert (name_day["state"], name_day["month"], name_day["day"]) == ("set", 9, 30)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tradition": "gregorian"}, "tradition"),
        ({"name_day_month": 2, "name_day_day": 30}, "name_day_day"),
        ({"name_day_month": 13, "name_day_day": 1}, "name_day_month"),
        ({"name_day_month": 2}, "name_day_day"),
        ({"name_day_day": "first"}, "name_day_day"),
        ({"client_since": "2999-01-01"}, "client_since"),
        ({"client_since": "вчора"}, "client_since"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_dates_answer_422_naming_the_field(
    owner: User, person: Contact, body: dict[str, Any], field: str
) -> None:
    response = api_as(owner).patch(f"/contacts/{person.pk}/dates", body)

    assert response.status_code == 422, response.content
    assert list(error_fields(response)) == [field]
    assert api_as(owner).get(f"/contacts/{person.pk}/dates").json()["settings"]["tradition"] == ""


def test_a_companys_dates(owner: User, company: Company) -> None:
    client = api_as(owner)

    read = client.get(f"/companies/{company.pk}/dates")
    since = client.patch(f"/companies/{company.pk}/dates", {"client_since": "2019-03-15"})
    no_name_day = client.patch(f"/companies/{company.pk}/dates", {"no_name_day": True})

    assert read.status_code == 200, read.content
    assert read.json()["client"]["type"] == "company"
    assert (read.json()["birthday"], read.json()["name_day"]["state"]) == (None, "none")
    assert since.json()["anniversary"]["year"] == 2019
    assert no_name_day.status_code == 422
    assert list(error_fields(no_name_day)) == ["no_name_day"]


def test_custom_dates_round_trip(owner: User, person: Contact) -> None:
    client = api_as(owner)

    added = client.post(
        f"/contacts/{person.pk}/dates/custom",
        {"label": "Wedding", "month": 6, "day": 12, "year": 2004},
    )
    date_id = added.json()["id"]
    listed = client.get(f"/contacts/{person.pk}/dates").json()["custom"]
    renamed = client.patch(f"/occasions/custom-dates/{date_id}", {"label": "Весілля", "year": None})
    removed = client.delete(f"/occasions/custom-dates/{date_id}")
    after = client.get(f"/contacts/{person.pk}/dates").json()["custom"]

    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["label"], body["month"], body["day"], body["year"]) == ("Wedding", 6, 12, 2004)
    assert body["turns"] == int(body["next"][:4]) - 2004
    assert listed == [body]
    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["label"], renamed.json()["month"], renamed.json()["year"]) == (
        "Весілля",
        6,
        None,
    )
    assert renamed.json()["turns"] is None
    assert removed.status_code == 204
    assert after == []
    assert client.delete(f"/occasions/custom-dates/{date_id}").status_code == 404


def test_a_companys_custom_date(owner: User, company: Company) -> None:
    response = api_as(owner).post(
        f"/companies/{company.pk}/dates/custom", {"label": "Founding day", "month": 2, "day": 29}
    )

    assert response.status_code == 201, response.content
    assert api_as(owner).get(f"/companies/{company.pk}/dates").json()["custom"] == [response.json()]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "Wedding", "month": 2, "day": 30}, "day"),
        ({"label": "Wedding", "month": 13, "day": 1}, "month"),
        ({"label": "", "month": 6, "day": 12}, "label"),
        ({"month": 6, "day": 12}, "label"),
        ({"label": "Wedding", "month": 6, "day": 12, "year": 1700}, "year"),
        ({"label": "Wedding", "month": 2, "day": 29, "year": 2001}, "day"),
        ({"label": "Wedding", "month": 6, "day": 12, "when": "now"}, "when"),
    ],
)
def test_bad_custom_date_answers_422_naming_the_field(
    owner: User, person: Contact, body: dict[str, Any], field: str
) -> None:
    response = api_as(owner).post(f"/contacts/{person.pk}/dates/custom", body)

    assert response.status_code == 422, response.content
    assert list(error_fields(response)) == [field]
    assert not Occasion.objects.filter(contact=person, manual=True).exists()


def test_a_bad_change_of_a_custom_date_names_the_field(owner: User, person: Contact) -> None:
    wedding = make_occasion(person, month=6, day=12, kind="custom", label="Wedding")

    response = api_as(owner).patch(f"/occasions/custom-dates/{wedding.pk}", {"day": 31})

    assert response.status_code == 422
    assert list(error_fields(response)) == ["day"]


def test_computed_dates_cannot_be_changed_here(owner: User, person: Contact) -> None:
    birthday = Occasion.objects.get(contact=person, kind="birthday")

    response = api_as(owner).patch(f"/occasions/custom-dates/{birthday.pk}", {"label": "x"})

    assert response.status_code == 404
    assert api_as(owner).delete(f"/occasions/custom-dates/{birthday.pk}").status_code == 404


def test_dates_of_clients_the_caller_cannot_see_answer_404(
    owner: User, outsider: User, person: Contact, company: Company
) -> None:
    wedding = make_occasion(person, month=6, day=12, kind="custom", label="Wedding")
    client = api_as(outsider)
    custom = {"label": "Mine now", "month": 1, "day": 2}

    answers = [
        client.get(f"/contacts/{person.pk}/dates"),
        client.patch(f"/contacts/{person.pk}/dates", {"tradition": "new"}),
        client.post(f"/contacts/{person.pk}/dates/custom", custom),
        client.get(f"/companies/{company.pk}/dates"),
        client.patch(f"/companies/{company.pk}/dates", {"client_since": "2020-01-01"}),
        client.post(f"/companies/{company.pk}/dates/custom", custom),
        client.patch(f"/occasions/custom-dates/{wedding.pk}", {"label": "x"}),
        client.delete(f"/occasions/custom-dates/{wedding.pk}"),
        client.get("/contacts/987654/dates"),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert Occasion.objects.get(pk=wedding.pk).label == "Wedding"


def test_a_viewer_reads_dates_and_changes_none(
    owner: User, viewer: User, person: Contact, company: Company
) -> None:
    wedding = make_occasion(person, month=6, day=12, kind="custom", label="Wedding")
    client = api_as(viewer)
    custom = {"label": "x", "month": 1, "day": 2}

    read = client.get(f"/contacts/{person.pk}/dates")
    refused = [
        client.patch(f"/contacts/{person.pk}/dates", {"tradition": "new"}),
        client.post(f"/contacts/{person.pk}/dates/custom", custom),
        client.patch(f"/companies/{company.pk}/dates", {"client_since": "2020-01-01"}),
        client.post(f"/companies/{company.pk}/dates/custom", custom),
        client.patch(f"/occasions/custom-dates/{wedding.pk}", {"label": "x"}),
        client.delete(f"/occasions/custom-dates/{wedding.pk}"),
    ]

    assert read.status_code == 200
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert Occasion.objects.filter(pk=wedding.pk, label="Wedding").exists()


# --- gestures ------------------------------------------------------------------------------------


def record(actor: User, client: Contact | Company, **data: Any) -> Gesture:
    field = "contact" if isinstance(client, Contact) else "company"
    data.setdefault("kind", "flowers")
    data.setdefault("date", "2026-03-08")
    return gesture_create(actor=actor, data={field: client.pk, **data})


def test_record_a_gesture_for_an_occasion_and_read_it_back(
    owner: User, lead: User, contact: Contact
) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    client = api_as(lead)

    created = client.post(
        "/gestures",
        {
            "occasion": birthday.pk,
            "kind": "flowers",
            "date": "2026-05-17",
            "cost": "450.50",
            "currency": "UAH",
            "status": "planned",
            "notes": "Тюльпани",
            "user": owner.pk,
        },
    )
    read = client.get(f"/gestures/{created.json()['id']}")

    assert created.status_code == 201, created.content
    body = read.json()
    assert body == created.json()
    assert body["contact"] == {"id": contact.pk, "name": contact.full_name}
    assert body["company"] is None
    assert body["occasion"] == {"id": birthday.pk, "kind": "birthday", "label": ""}
    assert body["occasion_kind"] == "birthday"
    assert body["user"]["id"] == owner.pk
    assert body["owner"] == {"id": owner.pk, "name": str(owner)}
    assert (body["cost"], body["currency"], body["status"], body["response"]) == (
        "450.50",
        "UAH",
        "planned",
        None,
    )
    assert (body["date"], body["notes"], body["greeting"]) == ("2026-05-17", "Тюльпани", None)


def test_change_and_delete_a_gesture(owner: User, lead: User, contact: Contact) -> None:
    gesture = record(owner, contact, status="planned")
    client = api_as(owner)
    seen = client.get(f"/gestures/{gesture.pk}").json()["updated_at"]

    done = client.patch(
        f"/gestures/{gesture.pk}",
        {"status": "done", "response": "thanked", "expected_updated_at": seen},
    )
    api_as(lead).patch(f"/gestures/{gesture.pk}", {"notes": "Лідер був першим"})
    stale = client.patch(
        f"/gestures/{gesture.pk}",
        {"notes": "Мої", "expected_updated_at": done.json()["updated_at"]},
    )
    deleted = client.delete(f"/gestures/{gesture.pk}")

    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["response"]) == ("done", "thanked")
    assert done.json()["kind"] == "flowers"  # unchanged
    assert stale.status_code == 409
    assert list(error_fields(stale)) == ["expected_updated_at"]
    assert deleted.status_code == 204
    assert client.get(f"/gestures/{gesture.pk}").status_code == 404
    assert not Gesture.objects.filter(pk=gesture.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "balloon"}, "kind"),
        ({}, "kind"),
        ({"kind": "gift", "cost": "-1"}, "cost"),
        ({"kind": "gift", "cost": "дорого"}, "cost"),
        ({"kind": "gift", "currency": "ZZZ"}, "currency"),
        ({"kind": "gift", "date": "вчора"}, "date"),
        ({"kind": "gift", "status": "maybe"}, "status"),
        ({"kind": "gift", "status": "planned", "response": "thanked"}, "response"),
        ({"kind": "gift", "contact": 987654}, "contact"),
        ({"kind": "gift", "contact": None}, "contact"),
        ({"kind": "gift", "user": 987654}, "user"),
        ({"kind": "gift", "occasion": 987654}, "occasion"),
        ({"kind": "gift", "colour": "red"}, "colour"),
    ],
)
def test_bad_gesture_answers_422_naming_the_field(
    owner: User, contact: Contact, body: dict[str, Any], field: str
) -> None:
    response = api_as(owner).post("/gestures", {"contact": contact.pk, **body})

    assert response.status_code == 422, response.content
    assert list(error_fields(response)) == [field]
    assert not Gesture.objects.exists()


def test_an_occasion_of_another_client_is_refused(
    owner: User, contact: Contact, company: Company
) -> None:
    theirs = make_occasion(company, month=1, day=2, kind="custom", label="Founding day")

    response = api_as(owner).post(
        "/gestures", {"contact": contact.pk, "occasion": theirs.pk, "kind": "gift"}
    )

    assert response.status_code == 422
    assert list(error_fields(response)) == ["occasion"]


def test_gesture_filters_and_pages(owner: User, outsider: User, contact: Contact) -> None:
    firm = make_company(owner)
    flowers = record(owner, contact, date="2026-03-08")
    card = record(owner, firm, kind="postcard", date="2026-01-07", status="planned")
    call = record(owner, contact, kind="call", date="2026-02-14")
    record(outsider, make_contact(outsider), date="2026-03-09")
    client = api_as(owner)

    def ids(**params: Any) -> list[int]:
        response = client.get("/gestures", params)
        assert response.status_code == 200, response.content
        return [g["id"] for g in response.json()["items"]]

    assert ids() == [flowers.pk, call.pk, card.pk]
    assert ids(kind="postcard") == [card.pk]
    assert ids(status="planned") == [card.pk]
    assert ids(contact=contact.pk) == [flowers.pk, call.pk]
    assert ids(company=firm.pk) == [card.pk]
    assert ids(owner="me") == [flowers.pk, call.pk, card.pk]
    assert ids(date_from="2026-02-01", date_to="2026-02-28") == [call.pk]
    first = client.get("/gestures", {"limit": 2}).json()
    second = client.get("/gestures", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [g["id"] for g in first["items"] + second["items"]] == [flowers.pk, call.pk, card.pk]
    assert (first["previous_cursor"], second["next_cursor"]) == (None, None)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "balloon"}, "kind"),
        ({"status": "maybe"}, "status"),
        ({"owner": "somebody"}, "owner"),
        ({"contact": "abc"}, "contact"),
        ({"date_from": "вчора"}, "date_from"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_to"),
        ({"cursor": "nonsense"}, "cursor"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_gesture_filter_answers_400(owner: User, params: dict[str, Any], field: str) -> None:
    response = api_as(owner).get("/gestures", params)

    assert response.status_code == 400, response.content
    assert list(error_fields(response)) == [field]


def test_outsider_cannot_see_or_change_a_gesture(
    owner: User, outsider: User, contact: Contact
) -> None:
    gesture = record(owner, contact)
    client = api_as(outsider)

    answers = [
        client.get(f"/gestures/{gesture.pk}"),
        client.patch(f"/gestures/{gesture.pk}", {"notes": "x"}),
        client.delete(f"/gestures/{gesture.pk}"),
    ]
    created = client.post("/gestures", {"contact": contact.pk, "kind": "gift"})

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert client.get("/gestures").json()["items"] == []
    assert created.status_code == 422  # a contact it cannot see is no contact
    assert list(error_fields(created)) == ["contact"]
    assert Gesture.objects.get(pk=gesture.pk).notes == ""


def test_a_viewer_reads_gestures_and_records_none(
    owner: User, viewer: User, contact: Contact
) -> None:
    gesture = record(owner, contact)
    client = api_as(viewer)

    read = client.get(f"/gestures/{gesture.pk}")
    refused = [
        client.post("/gestures", {"contact": contact.pk, "kind": "gift"}),
        client.patch(f"/gestures/{gesture.pk}", {"notes": "x"}),
        client.delete(f"/gestures/{gesture.pk}"),
    ]

    assert read.status_code == 200
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert Gesture.objects.count() == 1


# --- greetings -----------------------------------------------------------------------------------

GREETING = {"subject": "З днем народження, {first_name}!", "body": "Шановна {formal_name}!"}


def test_send_a_greeting_and_read_it_back(owner: User, contact: Contact) -> None:
    client = api_as(owner)

    sent = client.post("/greetings", {"contact": contact.pk, "language": "uk", **GREETING})
    read = client.get(f"/greetings/{sent.json()['id']}")

    assert sent.status_code == 201, sent.content
    body = read.json()
    assert body == sent.json()
    assert body["contact"] == {"id": contact.pk, "name": contact.full_name}
    assert (body["company"], body["occasion"], body["template"]) == (None, None, None)
    assert body["sender"]["id"] == owner.pk
    assert body["subject"] == f"З днем народження, {contact.first_name}!"
    assert (body["language"], body["personal"], body["status"]) == ("uk", True, "queued")
    assert body["to_email"] == "olena.shevchenko@example.com"


@pytest.mark.usefixtures("default_greeting_templates")
def test_an_occasion_and_a_template_say_the_rest(owner: User, contact: Contact) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    template = GreetingTemplate.objects.filter(
        occasion_kind="birthday", language="en", active=True
    ).first()
    assert template is not None

    response = api_as(owner).post("/greetings", {"occasion": birthday.pk, "template": template.pk})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contact"]["id"] == contact.pk
    assert (body["occasion"], body["occasion_kind"]) == (birthday.pk, "birthday")
    assert (body["template"], body["language"]) == (template.pk, "en")
    assert "{" not in body["subject"] + body["body"]


def test_a_greeting_to_a_company_later(owner: User, company: Company) -> None:
    later = timezone.localtime() + datetime.timedelta(days=2)
    naive = later.replace(tzinfo=None, microsecond=0).isoformat()  # the caller's time

    response = api_as(owner).post(
        "/greetings", {"company": company.pk, "language": "en", "send_at": naive, **GREETING}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["company"] == {"id": company.pk, "name": company.name}
    assert body["status"] == "scheduled"
    sent_at = datetime.datetime.fromisoformat(body["send_at"])
    assert sent_at == later.replace(microsecond=0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"personal": False}, "personal"),
        ({"subject": "Hi {frist_name}"}, "subject"),
        ({"body": ""}, "body"),
        ({"language": "de"}, "language"),
        ({"send_at": "2020-01-01T09:00:00Z"}, "send_at"),
        ({"contact": 987654}, "contact"),
        ({"contact": None}, "contact"),
        ({"company": "{company}"}, "contact"),
        ({"template": 987654}, "template"),
        ({"occasion": 987654}, "occasion"),
        ({"occasion": "{foreign}"}, "occasion"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_greeting_answers_422_naming_the_field(
    owner: User, contact: Contact, company: Company, body: dict[str, Any], field: str
) -> None:
    foreign = make_occasion(company, month=1, day=2, kind="custom", label="Founding day")
    values = {"{company}": company.pk, "{foreign}": foreign.pk}
    body = {key: values.get(value, value) for key, value in body.items()}

    response = api_as(owner).post(
        "/greetings", {"contact": contact.pk, "language": "uk", **GREETING, **body}
    )

    assert response.status_code == 422, response.content
    assert list(error_fields(response)) == [field]
    assert not Greeting.objects.exists()


def test_outsider_and_viewer_on_greetings(
    owner: User, outsider: User, viewer: User, contact: Contact
) -> None:
    sent = api_as(owner).post("/greetings", {"contact": contact.pk, "language": "uk", **GREETING})
    greeting_id = sent.json()["id"]
    payload = {"contact": contact.pk, "language": "uk", **GREETING}

    outsider_read = api_as(outsider).get(f"/greetings/{greeting_id}")
    outsider_send = api_as(outsider).post("/greetings", payload)
    viewer_read = api_as(viewer).get(f"/greetings/{greeting_id}")
    viewer_send = api_as(viewer).post("/greetings", payload)

    assert outsider_read.status_code == 404
    assert outsider_send.status_code == 422
    assert list(error_fields(outsider_send)) == ["contact"]
    assert viewer_read.status_code == 200
    assert viewer_send.status_code == 403
    assert Greeting.objects.count() == 1


# --- the cost of a list --------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_upcoming_does_not_grow_with_rows(
    owner: User, rows: int, plain_days: None, django_assert_num_queries: Any
) -> None:
    for i in range(rows):
        person = bare_contact(owner, last_name=f"N{i}")
        _on(person, _in(owner, i % 7), year=1980)
    firm = make_company(owner)
    _on(firm, _in(owner, 2), kind="custom", label="Founding day")
    client = api_as(owner)
    client.get("/occasions/upcoming")  # the first call of a token records its use
    years = 2 if _in(owner, 6).year != _in(owner, 0).year else 1

    with django_assert_num_queries(TOKEN + 1 + years):  # firm settings, one range a year
        response = client.get("/occasions/upcoming")

    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == rows + 1


@pytest.mark.parametrize("rows", [3, 30])
def test_gesture_list_does_not_grow_with_rows(
    owner: User, lead: User, contact: Contact, rows: int, django_assert_num_queries: Any
) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    firm = make_company(owner)
    for i in range(rows):
        record(lead, contact, occasion=birthday.pk, user=owner.pk)
        record(owner, firm, kind="postcard", response="thanked" if i % 2 else "")
    client = api_as(lead)
    client.get("/gestures")

    with django_assert_num_queries(TOKEN + 1):
        response = client.get("/gestures", {"limit": 100})

    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == 2 * rows
