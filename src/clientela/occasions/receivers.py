"""How occasions follow the records they come from: a contact saved recomputes its dates."""


def connect() -> None:
    pass
