"""Pages of the activities app: My day, tasks, logging calls, meetings, emails and notes, and
the timeline; `register_extensions` adds their panels and actions to the pages of the apps
below (core.extensions)."""


def register_extensions() -> None:
    from clientela.activities.views import pages_extensions, timeline_extensions

    pages_extensions.register()
    timeline_extensions.register()
