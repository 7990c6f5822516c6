"""What happens in activities when something happens elsewhere: a won deal gets its follow-up."""


def connect() -> None:
    pass
