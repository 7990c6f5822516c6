"""The purchases panel (with the purchase rhythm) and actions on contact and company pages."""


def register() -> None:
    pass
