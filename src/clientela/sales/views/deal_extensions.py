"""The deals panel, actions and search section on contact and company pages."""


def register() -> None:
    pass
