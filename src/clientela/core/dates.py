"""Dates said in words, in the active language."""

from django.utils.dates import MONTHS_ALT


def day_and_month(month: int, day: int) -> str:
    """ "6 May", "6 травня", "6 мая": a day of the year, the month as it follows a day number."""
    return f"{day} {MONTHS_ALT[month]}"
