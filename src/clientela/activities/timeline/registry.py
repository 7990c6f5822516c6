"""Timeline sources that apps above activities add: complaints, survey answers, …

The eight sources of `timeline.sources` are activities' own. An app above activities (it may
not be imported from here) registers its source in its AppConfig.ready:

    register_timeline_source(TimelineSource(
        group="complaint",                        # the filter value (?kind=complaint) and chip
        chip=gettext_lazy("Complaints"),          # the chip's label
        kinds={"complaint": gettext_lazy("Complaint"),
               "complaint_resolved": gettext_lazy("Complaint")},  # entry kind → badge
        rank=10,                                  # unique; order at the same moment
        read=complaint_entries,                   # the source, as timeline.sources' ones
        template="complaints/_timeline_entry.html",
    ))

`read(user, subject, kinds, cursor, limit)` returns at most `limit + 1` entries after `cursor`,
newest first, in ONE query narrowed by the model's `visible_to(user)` (see sources.py: the
`after` and `after_day` helpers turn the cursor into a condition). It returns [] when none of
its kinds is in `kinds` or the subject is not one it tells of. Each Entry carries `rank=` the
registered rank, and `link=` the page of its record (the entry's time links to it).

The template is included twice per entry, with `part` "head" (the line after the badge) and
"body" (any text under it); it gets `entry` and `obj` (= entry.obj) and must query nothing.

Ranks are part of the timeline's cursor, so a registered rank never changes once released;
ranks 0–7 are the built-in sources'.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from clientela.activities.timeline.entries import Entry

BUILT_IN_RANKS = range(8)


@dataclass(frozen=True)
class TimelineSource:
    group: str
    chip: Promise | str
    kinds: dict[str, Promise | str]
    rank: int
    read: Callable[..., list["Entry"]]
    template: str


_registered: dict[str, TimelineSource] = {}


def register_timeline_source(source: TimelineSource) -> None:
    """Add `source` (again under the same group: replaced, so a reloaded app is harmless)."""
    if source.rank in BUILT_IN_RANKS:
        raise ValueError(f"rank {source.rank} belongs to a built-in timeline source")
    for other in _registered.values():
        if other.group == source.group:
            continue
        if other.rank == source.rank:
            raise ValueError(f"timeline rank {source.rank} is taken by {other.group!r}")
        if set(other.kinds) & set(source.kinds):
            raise ValueError(f"timeline kinds of {source.group!r} overlap {other.group!r}")
    _registered[source.group] = source


def registered_sources() -> list[TimelineSource]:
    return sorted(_registered.values(), key=lambda s: s.rank)


def registered_kinds() -> dict[str, TimelineSource]:
    """Each registered entry kind → its source."""
    return {kind: source for source in _registered.values() for kind in source.kinds}


def registered_ranks() -> set[int]:
    return {source.rank for source in _registered.values()}
