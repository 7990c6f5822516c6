"""Timeline sources registered by apps above activities: read, filtered, paged and rendered."""

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from activities.support import make_activity
from clientela.accounts.models import User
from clientela.activities.models import Activity
from clientela.activities.timeline import timeline_for, timeline_kinds
from clientela.activities.timeline.cursor import Cursor, after, cursor_decode
from clientela.activities.timeline.entries import Entry, SubjectRef
from clientela.activities.timeline.registry import (
    TimelineSource,
    _registered,
    register_timeline_source,
)
from clientela.contacts.models import Contact
from conftest import client_for

RANK = 90


def memos(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    """Notes told a second time, as "memos": a stand-in for a higher app's source."""
    if "memo" not in kinds or not isinstance(subject.record, Contact):
        return []
    rows = (
        Activity.objects.visible_to(user)
        .filter(contact=subject.record, kind="note")
        .filter(after("started_at", RANK, cursor))
        .order_by("-started_at", "-id")[: limit + 1]
    )
    return [
        Entry(at=row.started_at, kind="memo", obj=row, actor=None, rank=RANK, link="/memo/")
        for row in rows
    ]


@pytest.fixture
def memo_source(settings: Any, tmp_path: Path) -> Iterator[TimelineSource]:
    (tmp_path / "memo.html").write_text(
        '{% if part == "head" %}<strong>MEMO {{ obj.body }}</strong>'
        '{% else %}<p class="memo-body">{{ entry.kind }}</p>{% endif %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    source = TimelineSource(
        group="memos",
        chip="Memos",
        kinds={"memo": "Memo"},
        rank=RANK,
        read=memos,
        template="memo.html",
    )
    register_timeline_source(source)
    yield source
    _registered.pop("memos", None)


def test_a_registered_source_is_merged_filtered_and_paged(
    owner: User, contact: Contact, memo_source: TimelineSource
) -> None:
    start = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    for minute in range(3):
        make_activity(
            owner, contact, "note", body=f"n{minute}", started_at=start.replace(minute=minute)
        )

    every = timeline_for(owner, contact, limit=100).entries
    assert (
        sorted(e.kind for e in every if e.kind in {"note", "memo"}) == ["memo"] * 3 + ["note"] * 3
    )
    assert timeline_kinds(["memos"]) == {"memo"}

    first = timeline_for(owner, contact, kinds=["memos"], limit=2)
    assert [e.obj.body for e in first.entries] == ["n2", "n1"]
    assert first.entries[0].label == "Memo"
    assert first.entries[0].template == "memo.html"
    assert first.next_cursor is not None
    assert cursor_decode(first.next_cursor).rank == RANK
    rest = timeline_for(owner, contact, kinds=["memos"], cursor=first.next_cursor, limit=2)
    assert [e.obj.body for e in rest.entries] == ["n0"]


def test_a_registered_entry_renders_with_its_template_and_chip(
    owner: User, contact: Contact, memo_source: TimelineSource
) -> None:
    make_activity(owner, contact, "note", body="hello")
    response = client_for(owner).get(f"/timeline/?contact={contact.pk}&kind=memos")
    html = response.content.decode()
    assert response.status_code == 200
    assert "MEMO hello" in html
    assert '<p class="memo-body">memo</p>' in html
    assert 'href="/memo/"' in html
    assert "kind=memos" in html  # the chip


def test_ranks_and_kinds_may_not_collide(memo_source: TimelineSource) -> None:
    with pytest.raises(ValueError, match="built-in"):
        register_timeline_source(TimelineSource("x", "X", {"x": "X"}, 3, memos, "memo.html"))
    with pytest.raises(ValueError, match="taken"):
        register_timeline_source(TimelineSource("y", "Y", {"y": "Y"}, RANK, memos, "memo.html"))
    with pytest.raises(ValueError, match="overlap"):
        register_timeline_source(TimelineSource("z", "Z", {"memo": "Z"}, 91, memos, "memo.html"))
