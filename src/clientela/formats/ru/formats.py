# A birthday without a year reads "3 квітня" / "3 апреля": the day, then the month in the
# genitive (Django's own uk/ru formats give the nominative, "03 Квітень").
MONTH_DAY_FORMAT = "j E"
