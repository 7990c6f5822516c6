from clientela.contacts.selectors import search_everything


def test_cyrillic_contact_is_found_by_latin_spelling(contact, owner):
    results = search_everything(owner, "Shevchenko")
    assert [c.pk for c in results.contacts] == [contact.pk]
