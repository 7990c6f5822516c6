"""Occasions get a leap-year shift: a Julian name day of 16–28 February (church calendar), kept
as 1–13 March, is celebrated a day earlier in a leap year. The name days already computed get
theirs here, with the rule of the time; a later refresh of a client recomputes it the same way."""

from typing import Any

from django.db import migrations, models
from django.db.models import Q

# The Julian feast of 29 February (St John Cassian) is 13 March in every year: no shift.
CASSIAN = "прп. Іоанн Касіан Римлянин"


def set_julian_leap_shift(apps: Any, schema_editor: Any) -> None:
    """-1 for every computed name day on 1–13 March of a contact who keeps the Julian calendar
    (its own choice, else the firm's) and has no name day set by hand."""
    firm_settings = apps.get_model("core", "FirmSettings")
    client_dates = apps.get_model("occasions", "ClientDates")
    occasion = apps.get_model("occasions", "Occasion")
    firm = firm_settings.objects.filter(pk=1).first()
    firm_julian = firm is not None and firm.calendar_tradition == "julian"
    by_hand = client_dates.objects.filter(contact__isnull=False).filter(
        Q(name_day_month__isnull=False) | Q(no_name_day=True)
    )
    if firm_julian:
        not_julian = client_dates.objects.filter(contact__isnull=False, tradition="new")
        julian = Q(contact__isnull=False) & ~Q(contact_id__in=not_julian.values("contact_id"))
    else:
        own_julian = client_dates.objects.filter(contact__isnull=False, tradition="julian")
        julian = Q(contact_id__in=own_julian.values("contact_id"))
    (
        occasion.objects.filter(julian, kind="name_day", manual=False, mmdd__gte=301, mmdd__lte=313)
        .exclude(contact_id__in=by_hand.values("contact_id"))
        .exclude(mmdd=313, label=CASSIAN)
        .update(leap_shift=-1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_firmsettings_calendar_tradition_and_more"),
        ("occasions", "0002_greeting_templates"),
    ]

    operations = [
        migrations.AddField(
            model_name="occasion",
            name="leap_shift",
            field=models.SmallIntegerField(default=0, editable=False),
        ),
        migrations.AddConstraint(
            model_name="occasion",
            constraint=models.CheckConstraint(
                condition=Q(leap_shift=0) | Q(leap_shift=-1, mmdd__gte=301, mmdd__lte=313),
                name="occasion_leap_shift",
            ),
        ),
        migrations.RunPython(set_julian_leap_shift, migrations.RunPython.noop),
    ]
