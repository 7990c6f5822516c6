"""Contact and company lists: filters, sorting, keyset pages, counts, bulk changes, queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientela.contacts.models import Contact
from clientela.contacts.services import company_delete, contact_delete
from clientela.core.extensions import trash_sections
from conftest import client_for, make_company, make_contact

# The goal for a list page, everything included (session, user, rows, count, filter options).
MAX_LIST_QUERIES = 8


def _names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/contacts/\d+/">([^<]+)</a>', html)


def _link(html: str, rel: str) -> str:
    """The pager's link (a query string relative to the list page), as an address."""
    match = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return "/contacts/" + match.group(1).replace("&amp;", "&") if match else ""


def _next_link(html: str) -> str:
    return _link(html, "next")


def _prev_link(html: str) -> str:
    return _link(html, "prev")


@pytest.fixture
def people(owner, lead, company):
    """Five contacts in different stages, owners, tags and companies."""
    return {
        "a": make_contact(
            owner,
            first_name="Андрій",
            last_name="Авраменко",
            lifecycle="customer",
            tags=["VIP"],
            company=company.pk,
        ),
        "b": make_contact(owner, first_name="Богдан", last_name="Бондар", lifecycle="lead"),
        "c": make_contact(
            owner, first_name="Віра", last_name="Вовк", lifecycle="customer", company=company.pk
        ),
        "d": make_contact(
            lead, first_name="Галина", last_name="Гнатюк", lifecycle="prospect", tags=["VIP"]
        ),
        "e": make_contact(lead, first_name="Дмитро", last_name="Дорош", lifecycle="former"),
    }


def test_list_is_sorted_by_name_by_default(lead, people):
    html = client_for(lead).get("/contacts/").content.decode()
    assert _names(html) == [
        "Авраменко Андрій", "Бондар Богдан", "Вовк Віра", "Гнатюк Галина", "Дорош Дмитро",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lifecycle": "customer"}, ["Авраменко Андрій", "Вовк Віра"]),
        ({"owner": "me"}, ["Гнатюк Галина", "Дорош Дмитро"]),
        ({"tag": "VIP"}, ["Авраменко Андрій", "Гнатюк Галина"]),
        ({"lifecycle": "customer", "sort": "-name"}, ["Вовк Віра", "Авраменко Андрій"]),
        ({"q": "dorosh"}, ["Дорош Дмитро"]),
        (
            {"sort": "-created"},
            ["Дорош Дмитро", "Гнатюк Галина", "Вовк Віра", "Бондар Богдан", "Авраменко Андрій"],
        ),
    ],
)
def test_filters_and_sorting(lead, people, params, expected):
    html = client_for(lead).get("/contacts/", params).content.decode()
    assert _names(html) == expected


def test_filter_by_owner_id_and_tag_id(lead, owner, people):
    client = client_for(lead)
    tag_id = people["a"].tags.get().pk
    html = client.get("/contacts/", {"owner": owner.pk, "tag": tag_id}).content.decode()
    assert _names(html) == ["Авраменко Андрій"]


def test_filter_by_company_names_it(lead, people, company):
    html = client_for(lead).get("/contacts/", {"company": company.pk}).content.decode()
    assert _names(html) == ["Авраменко Андрій", "Вовк Віра"]
    assert "ТОВ Ромашка" in html


def test_company_page_lists_its_contacts(lead, people, company):
    html = client_for(lead).get(f"/companies/{company.pk}/").content.decode()
    assert "Авраменко Андрій" in html
    assert "Вовк Віра" in html
    assert "Бондар" not in html
    assert f'href="/contacts/?company={company.pk}"' in html


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"lifecycle": "zombie"}, "lifecycle"),
        ({"owner": "somebody"}, "owner"),
        ({"tag": "no-such-tag"}, "no-such-tag"),
        ({"company": "x1"}, "company"),
        ({"sort": "salary"}, "sort"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_unknown_filter_values_are_a_clear_400(owner, params, word):
    response = client_for(owner).get("/contacts/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert word in html
    assert 'href="/contacts/"' in html


def test_company_list_bad_sort_is_400(owner):
    assert client_for(owner).get("/companies/", {"sort": "nope"}).status_code == 400


def test_pages_follow_each_other_and_keep_the_filters(owner, settings):
    settings.LIST_PAGE_SIZE = 2
    for i in range(5):
        make_contact(owner, first_name=f"Ім'я{i}", last_name="Петренко", lifecycle="customer")
    make_contact(owner, first_name="Інший", last_name="Антоненко", lifecycle="lead")
    client = client_for(owner)
    # page 1
    html = client.get("/contacts/", {"lifecycle": "customer"}).content.decode()
    assert len(_names(html)) == 2
    assert not _prev_link(html)
    link = _next_link(html)
    assert "lifecycle=customer" in link
    assert "cursor=" in link
    seen = _names(html)
    # pages 2 and 3
    while link:
        html = client.get(link).content.decode()
        seen += _names(html)
        last_page = html
        link = _next_link(html)
    assert seen == [f"Петренко Ім'я{i}".replace("'", "&#x27;") for i in range(5)]
    # and back
    previous = _prev_link(last_page)
    assert "lifecycle=customer" in previous
    html = client.get(previous).content.decode()
    assert _names(html) == [f"Петренко Ім&#x27;я{i}" for i in (2, 3)]


def test_count_is_capped_and_shown_with_a_plus(owner, settings):
    settings.LIST_COUNT_CAP = 3
    for i in range(5):
        make_contact(owner, first_name=f"N{i}")
    client = client_for(owner)
    html = client.get("/contacts/").content.decode()
    assert "<strong>3+</strong>" in html
    html = client.get("/contacts/", {"q": "N1"}).content.decode()
    assert "<strong>1</strong>" in html


def test_capped_count_is_written_the_local_way(owner, settings):
    settings.LIST_COUNT_CAP = 10000
    client = client_for(owner)
    client.cookies["django_language"] = "uk"
    from unittest import mock

    with mock.patch("clientela.contacts.selectors.capped_count", return_value=(10000, True)):
        html = client.get("/contacts/").content.decode()
    assert "<strong>10\xa0000+</strong>" in html


def test_htmx_filter_request_gets_only_the_results(owner, people):
    response = client_for(owner).get(
        "/contacts/", {"lifecycle": "lead"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert _names(html) == ["Бондар Богдан"]


# --- bulk ----------------------------------------------------------------------------------------


def test_bulk_add_and_remove_tag(owner, people):
    client = client_for(owner)
    ids = [people["b"].pk, people["c"].pk]
    response = client.post(
        "/contacts/bulk/",
        {"ids": ids, "action": "add_tag", "tag": "Зима", "next": "/contacts/?lifecycle=lead"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/contacts/?lifecycle=lead"
    assert sorted(Contact.objects.filter(tags__name="Зима").values_list("pk", flat=True)) == sorted(
        ids
    )
    client.post("/contacts/bulk/", {"ids": [people["b"].pk], "action": "remove_tag", "tag": "зима"})
    assert list(Contact.objects.filter(tags__name="Зима").values_list("pk", flat=True)) == [
        people["c"].pk
    ]


def test_bulk_reassign_to_an_assignable_owner(lead, owner, people):
    ids = [people["d"].pk, people["e"].pk]
    response = client_for(lead).post(
        "/contacts/bulk/", {"ids": ids, "action": "reassign", "owner": owner.pk}
    )
    assert response.status_code == 302
    assert set(Contact.objects.filter(pk__in=ids).values_list("owner_id", flat=True)) == {owner.pk}


def test_bulk_reassign_to_someone_outside_the_scope_is_refused(owner, outsider, people):
    client = client_for(owner)
    response = client.post(
        "/contacts/bulk/",
        {"ids": [people["a"].pk], "action": "reassign", "owner": outsider.pk},
        follow=True,
    )
    people["a"].refresh_from_db()
    assert people["a"].owner == owner
    assert 'class="message error"' in response.content.decode()


def test_bulk_ignores_records_the_user_cannot_see(owner, lead, people):
    # `owner` is a manager: the lead's contacts are invisible to it
    response = client_for(owner).post(
        "/contacts/bulk/",
        {"ids": [people["d"].pk, people["a"].pk], "action": "add_tag", "tag": "Нове"},
        follow=True,
    )
    assert list(Contact.objects.filter(tags__name="Нове").values_list("pk", flat=True)) == [
        people["a"].pk
    ]
    assert "1 contact changed." in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {"action": "add_tag", "tag": "x"},
        {"ids": ["1", "abc"], "action": "add_tag", "tag": "x"},
        {"ids": ["1"], "action": "explode"},
        {"ids": ["1"], "action": "add_tag", "tag": ""},
        {"ids": ["1"], "action": "reassign"},
    ],
)
def test_bulk_bad_input_changes_nothing_and_says_why(owner, people, body):
    response = client_for(owner).post("/contacts/bulk/", body, follow=True)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()
    assert not Contact.objects.filter(tags__name="x").exists()


def test_bulk_on_companies(owner, company):
    other = make_company(owner, name="ТОВ Груша")
    client_for(owner).post(
        "/companies/bulk/", {"ids": [company.pk, other.pk], "action": "add_tag", "tag": "Опт"}
    )
    assert sorted(t.name for t in other.tags.all()) == ["Опт"]
    assert sorted(t.name for t in company.tags.all()) == ["Опт"]


def test_viewer_cannot_bulk_change(viewer, people):
    response = client_for(viewer).post(
        "/contacts/bulk/", {"ids": [people["a"].pk], "action": "add_tag", "tag": "x"}
    )
    assert response.status_code == 403
    assert not Contact.objects.filter(tags__name="x").exists()


# --- queries -------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _fill(owner, lead, company, count: int) -> None:
    for i in range(count):
        make_contact(
            owner if i % 2 else lead,
            first_name=f"Name{i}",
            company=company.pk if i % 3 else None,
            phones=[f"067 000 {i:04d}"[:13]],
            emails=[f"p{i}@example.com"],
            tags=["VIP"],
        )
        make_company(owner if i % 2 else lead, name=f"Firm {i}", phones=[f"044 000 {i:04d}"[:13]])


@pytest.mark.parametrize(
    "url",
    [
        "/contacts/",
        "/contacts/?lifecycle=lead&sort=-created",
        "/contacts/?tag=VIP&owner=me",
        "/contacts/?company={company}",
        "/companies/",
        "/search/?q=name",
    ],
)
def test_list_queries_do_not_grow_with_rows(
    django_assert_num_queries, lead, owner, company, url, settings
):
    settings.LIST_PAGE_SIZE = 50
    url = url.format(company=company.pk)
    client = client_for(lead)
    _fill(owner, lead, company, 3)
    few = _queries(client, url)
    assert few <= MAX_LIST_QUERIES
    _fill(owner, lead, company, 27)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200


def test_company_page_queries_do_not_grow_with_its_contacts(lead, owner, company):
    client = client_for(lead)
    _fill(owner, lead, company, 3)
    few = _queries(client, f"/companies/{company.pk}/")
    _fill(owner, lead, company, 27)
    many = _queries(client, f"/companies/{company.pk}/")
    assert few == many


def test_list_page_query_budget(django_assert_max_num_queries, lead, owner, company):
    client = client_for(lead)
    _fill(owner, lead, company, 30)
    client.get("/contacts/")  # the session is created on the first request
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        client.get("/contacts/")


def test_trash_queries_do_not_grow_with_rows(admin, owner, lead):
    client = client_for(admin)

    def trash(count: int) -> None:
        for i in range(count):
            contact_delete(actor=owner, contact=make_contact(owner, first_name=f"T{i}"))
            company_delete(actor=lead, company=make_company(lead, name=f"T{i}"))

    trash(3)
    few = _queries(client, "/trash/")
    trash(27)
    many = _queries(client, "/trash/")
    # the page's own four queries (session, user, contacts, companies), then one per section
    # that the apps above register (deals, purchases, activities, tasks, complaints, …)
    assert few == many <= 4 + len(trash_sections(admin))
