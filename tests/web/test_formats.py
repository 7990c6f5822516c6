"""Dates read as each language writes them."""

import pytest
from django.utils import translation

from clientela.contacts.views.common import birth_date_display


@pytest.mark.parametrize(
    ("language", "without_year", "with_year"),
    [
        ("uk", "3 квітня", "03 квітня 1985 р."),
        ("ru", "3 апреля", "3 апреля 1985 г."),
        ("en", "April 3", "April 3, 1985"),
    ],
)
def test_birthday_with_and_without_the_year(language, without_year, with_year):
    with translation.override(language):
        assert birth_date_display(3, 4, None) == without_year
        assert birth_date_display(3, 4, 1985) == with_year
