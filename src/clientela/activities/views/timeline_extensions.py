"""The timeline panel on contact, company and deal pages."""


def register() -> None:
    pass
