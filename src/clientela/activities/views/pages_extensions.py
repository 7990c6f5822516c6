"""Actions the activity and task pages add to contact, company and deal pages."""


def register() -> None:
    pass
