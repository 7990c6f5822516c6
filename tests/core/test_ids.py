"""Record ids from a request: what a bigint holds, else a clear refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from clientela.core.ids import MAX_ID, id_or_404, id_or_error, id_or_none


def test_an_id_parameter_is_a_positive_bigint_or_a_named_error() -> None:
    assert id_or_error("owner", "") is None
    assert id_or_error("owner", None) is None
    assert id_or_error("owner", "42") == 42
    assert id_or_error("owner", str(MAX_ID)) == MAX_ID
    for bad in ("0", "-3", "abc", str(MAX_ID + 1), "1.5"):
        with pytest.raises(ValidationError) as caught:
            id_or_error("owner", bad)
        assert list(caught.value.message_dict) == ["owner"]


def test_a_path_pk_that_cannot_exist_is_not_found() -> None:
    assert id_or_404("7") == 7
    for bad in ("0", "x", str(MAX_ID + 1), None):
        with pytest.raises(Http404):
            id_or_404(bad)


def test_an_id_in_a_service_payload_is_a_key_or_none() -> None:
    class Record:
        pk = 5

    assert id_or_none(Record()) == 5
    assert id_or_none("12") == 12
    for nothing in (None, "", "x", True, 0, -1, MAX_ID + 1):
        assert id_or_none(nothing) is None
