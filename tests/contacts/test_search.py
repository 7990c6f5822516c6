"""The one search box: names in any script and spelling, phones in any format, emails."""

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.contacts.search import contacts_matching, parse_query
from clientela.contacts.selectors import search_everything
from clientela.contacts.services import (
    company_delete,
    contact_delete,
    contact_restore,
    contact_update,
)
from conftest import make_company, make_contact


def _found(user: User, text: str) -> list[int]:
    return [c.pk for c in search_everything(user, text).contacts]


def _found_companies(user: User, text: str) -> list[int]:
    return [c.pk for c in search_everything(user, text).companies]


@pytest.mark.parametrize("query", ["olena", "OLENA", "Олена", "олена", "ОЛЕНА", "ole", "Оле"])
def test_first_name_is_found_in_any_script_and_case(
    owner: User, contact: Contact, query: str
) -> None:
    assert _found(owner, query) == [contact.pk]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Шевченко", "Shevchenko"),
        ("Шевченко", "shevchenko"),
        ("Шевченко", "shev"),
        ("Шевченко", "Шевченко"),
        ("Shevchenko", "Шевченко"),
        ("Shevchenko", "шев"),
        ("Shevchenko", "SHEV"),
        ("Shevchenko", "shevchenko"),
    ],
)
def test_last_name_is_found_across_scripts_both_ways(owner: User, stored: str, query: str) -> None:
    contact = make_contact(owner, first_name="Taras", last_name=stored)

    assert _found(owner, query) == [contact.pk]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Григорій", "Hryhorii"),
        ("Григорій", "Grigoriy"),
        ("Hryhorii", "Григорий"),
        ("Юрій", "Yurii"),
        ("Юрий", "Yuriy"),
        ("Yurii", "Юрий"),
        ("Наталія", "Natalia"),
        ("Наталья", "Nataliia"),
        ("Nataliia", "Наталья"),
        ("Олексій", "Oleksiy"),
        ("Алексей", "Alexey"),
        ("Евгений", "Yevgeniy"),
        ("Елена", "Yelena"),
        ("Михайло", "Myk"),
        ("Мар'яна", "Maryana"),
    ],
)
def test_first_name_transliterations_meet(owner: User, stored: str, query: str) -> None:
    contact = make_contact(owner, first_name=stored, last_name="Бондар")

    assert _found(owner, query) == [contact.pk]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Олексій", "Aleksei"),
        ("Алексей", "Oleksii"),
        ("Олена", "Yelena"),
        ("Елена", "Olena"),
        ("Сергій", "Sergey"),
        ("Андрей", "Andrii"),
    ],
)
def test_different_forms_of_a_name_are_different_names(
    owner: User, stored: str, query: str
) -> None:
    make_contact(owner, first_name=stored, last_name="Бондар")

    assert _found(owner, query) == []


@pytest.mark.parametrize("query", ["Khmelnytskyi", "Хмельницкий", "khmelnitsky", "Khmelnyt"])
def test_surname_in_ukrainian_and_russian_spellings(owner: User, query: str) -> None:
    contact = make_contact(owner, first_name="Богдан", last_name="Хмельницький")

    assert _found(owner, query) == [contact.pk]


def test_words_of_a_query_must_all_match(owner: User) -> None:
    # given
    olena_shevchenko = make_contact(owner, first_name="Олена", last_name="Шевченко")
    olena_kovalenko = make_contact(owner, first_name="Олена", last_name="Коваленко")
    taras_shevchenko = make_contact(owner, first_name="Тарас", last_name="Шевченко")

    # then
    assert _found(owner, "olena shev") == [olena_shevchenko.pk]
    assert _found(owner, "Шевченко Олена") == [olena_shevchenko.pk]
    assert sorted(_found(owner, "shevchenko")) == sorted([olena_shevchenko.pk, taras_shevchenko.pk])
    assert sorted(_found(owner, "Олена")) == sorted([olena_shevchenko.pk, olena_kovalenko.pk])
    assert _found(owner, "olena taras") == []


def test_patronymic_is_searchable(owner: User, contact: Contact) -> None:
    assert _found(owner, "Petrivna") == [contact.pk]
    assert _found(owner, "Олена Петрівна Шевченко") == [contact.pk]


def test_double_surname_is_found_by_either_part_and_whole(owner: User) -> None:
    contact = make_contact(owner, first_name="Ірина", last_name="Шевченко-Петренко")

    assert _found(owner, "Petrenko") == [contact.pk]
    assert _found(owner, "Шевченко") == [contact.pk]
    assert _found(owner, "Шевченко-Петренко") == [contact.pk]
    assert _found(owner, "Shevchenko-Petrenko Iryna") == [contact.pk]


def test_punctuation_around_words_is_ignored(owner: User, contact: Contact) -> None:
    assert _found(owner, "Шевченко, Олена!") == [contact.pk]


@pytest.mark.parametrize(
    "query",
    [
        "067 123 45 67",
        "+380671234567",
        "(067)123-4567",
        "0671234567",
        "380671234567",
        "+38 (067) 123-45-67",
        "67 123 45 67",
        "067 123",
        "06712",
        "+38067",
        "067-123-45",
    ],
)
def test_phone_in_any_format_or_its_start_finds_the_contact(
    owner: User, contact: Contact, query: str
) -> None:
    assert _found(owner, query) == [contact.pk]


@pytest.mark.parametrize("query", ["4567", "45 67", "1234567", "123-45-67", "671234567"])
def test_the_last_digits_of_a_phone_find_the_contact(
    owner: User, contact: Contact, query: str
) -> None:
    assert _found(owner, query) == [contact.pk]


@pytest.mark.parametrize("query", ["4568", "9234567", "456"])
def test_other_last_digits_find_nothing(owner: User, contact: Contact, query: str) -> None:
    assert _found(owner, query) == []


def test_the_last_digits_of_a_companys_phone_find_it(owner: User, company: Company) -> None:
    assert _found_companies(owner, "4567") == [company.pk]


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Андреев", "Andreyev"),
        ("Андреев", "Andreev"),
        ("Andreyev", "Андреев"),
        ("Андреев", "Andrey"),
        ("Николаев", "Nikolayev"),
        ("Сергеев", "Sergeyev"),
        ("Гаєвий", "Haievyi"),
    ],
)
def test_ye_after_a_vowel_is_found_either_way(owner: User, stored: str, query: str) -> None:
    contact = make_contact(owner, first_name="Taras", last_name=stored)

    assert _found(owner, query) == [contact.pk]


@pytest.mark.parametrize("query", ["067 999 99 99", "050 123 45 67", "+48 671234567"])
def test_other_phone_numbers_find_nothing(owner: User, contact: Contact, query: str) -> None:
    assert _found(owner, query) == []


@pytest.mark.parametrize(
    "query",
    [
        "olena.shevchenko@example.com",
        "OLENA.SHEVCHENKO@EXAMPLE.COM",
        "olena.shevchenko@exa",
        "olena.shev",
        "olenashevchenko",
    ],
)
def test_email_whole_or_its_start_finds_the_contact(
    owner: User, contact: Contact, query: str
) -> None:
    assert _found(owner, query) == [contact.pk]


def test_email_local_part_is_found_even_if_unlike_the_name(owner: User) -> None:
    contact = make_contact(owner, first_name="Євгенія", emails=["zhenya.k@example.com"])

    assert _found(owner, "zhenya") == [contact.pk]
    assert _found(owner, "zhenya.k@example.com") == [contact.pk]


def test_other_email_finds_nothing(owner: User, contact: Contact) -> None:
    assert _found(owner, "someone.else@example.com") == []


@pytest.mark.parametrize("query", ["Ромашка", "romashka", "ROMASH", "12345678", "1234567"])
def test_company_is_found_by_name_and_legal_id(owner: User, query: str) -> None:
    company = make_company(owner, name="ТОВ Ромашка", legal_id="12345678")

    assert _found_companies(owner, query) == [company.pk]
    assert _found(owner, query) == []


def test_company_is_found_by_phone_and_email(owner: User, company: Company) -> None:
    assert _found_companies(owner, "(044) 123-45-67") == [company.pk]
    assert _found_companies(owner, "office@romashka.example") == [company.pk]


@pytest.mark.parametrize("query", ["", " ", "o", " О ", "7", "+"])
def test_query_shorter_than_two_characters_finds_nothing(
    owner: User, contact: Contact, company: Company, query: str
) -> None:
    results = search_everything(owner, query)

    assert results.contacts == []
    assert results.companies == []
    assert results.total == 0
    assert parse_query(query).empty


def test_query_of_punctuation_only_finds_nothing(owner: User, contact: Contact) -> None:
    assert _found(owner, "?! --") == []


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("owner", True),
        ("teammate", False),
        ("lead", True),
        ("outsider", False),
        ("admin", True),
        ("viewer", True),
    ],
)
def test_search_shows_only_what_the_user_may_see(
    request: pytest.FixtureRequest, contact: Contact, company: Company, persona: str, sees: bool
) -> None:
    user = request.getfixturevalue(persona)

    results = search_everything(user, "Шевченко")
    companies = search_everything(user, "Ромашка").companies

    assert ([c.pk for c in results.contacts] == [contact.pk]) is sees
    assert ([c.pk for c in companies] == [company.pk]) is sees
    if not sees:
        assert results.contacts == []
        assert companies == []


def test_trashed_records_are_not_found(owner: User, contact: Contact, company: Company) -> None:
    contact_delete(actor=owner, contact=contact)
    company_delete(actor=owner, company=company)

    assert _found(owner, "Шевченко") == []
    assert _found(owner, "067 123 45 67") == []
    assert _found_companies(owner, "Ромашка") == []


def test_restored_contact_is_found_again(owner: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)
    contact_restore(actor=owner, contact=Contact.all_objects.get(pk=contact.pk))

    assert _found(owner, "Шевченко") == [contact.pk]


def test_renamed_contact_is_found_by_its_new_name_only(owner: User, contact: Contact) -> None:
    contact_update(actor=owner, contact=contact, data={"last_name": "Коваленко"})

    assert _found(owner, "Kovalenko") == [contact.pk]
    assert _found(owner, "Shevchenko") == []


def test_changed_phone_is_found_by_the_new_number_only(owner: User, contact: Contact) -> None:
    contact_update(actor=owner, contact=contact, data={"phones": ["050 111 22 33"]})

    assert _found(owner, "050 111 22 33") == [contact.pk]
    assert _found(owner, "067 123 45 67") == []


def test_results_come_closest_word_first_then_oldest_and_are_limited(owner: User) -> None:
    # given: "olen" is closer to the word "olena" than to "olenka"
    olenka = make_contact(owner, first_name="Оленка", last_name="Бойко")
    first_olena = make_contact(owner, first_name="Олена", last_name="Шевчук")
    second_olena = make_contact(owner, first_name="Олена", last_name="Андрієнко")

    # when
    top_two = search_everything(owner, "Олен", limit=2)
    everything = search_everything(owner, "Олен")

    # then
    assert [c.pk for c in top_two.contacts] == [first_olena.pk, second_olena.pk]
    assert [c.pk for c in everything.contacts] == [first_olena.pk, second_olena.pk, olenka.pk]


def test_contacts_matching_narrows_a_given_queryset(owner: User, teammate: User) -> None:
    mine = make_contact(owner)
    make_contact(teammate)

    matched = contacts_matching(Contact.objects.filter(owner=owner), "Олена")

    assert list(matched.values_list("pk", flat=True)) == [mine.pk]


def test_the_reindex_migration_writes_the_new_terms(owner: User, contact: Contact) -> None:
    """contacts 0004 rewrites the terms of records with a phone or an "ie" term."""
    import importlib

    from django.apps import apps

    from clientela.contacts.models import ContactSearchTerm

    migration = importlib.import_module(
        "clientela.contacts.migrations.0004_search_terms_phone_tails_and_ye"
    )
    renamed = make_contact(owner, first_name="Taras", last_name="Andreyev")
    # The terms as the fold before the migration wrote them: no phone tail, "andreiev".
    ContactSearchTerm.objects.filter(term__startswith="qq").delete()
    ContactSearchTerm.objects.filter(contact=renamed, term="andrev").update(term="andreiev")
    assert _found(owner, "4567") == []

    migration.reindex(apps, None)

    assert _found(owner, "4567") == [contact.pk]
    assert _found(owner, "Андреев") == [renamed.pk]
    assert not ContactSearchTerm.objects.filter(term="andreiev").exists()
