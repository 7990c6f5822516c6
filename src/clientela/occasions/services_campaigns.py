"""Holiday greeting campaigns: one greeting to every client of a segment, on behalf of the firm.

A campaign is not a record of its own: it is a set of greetings (occasion kind "holiday",
no occasion), one per contact, created together in one transaction through
`services_greetings.greetings_send_to_contacts`, checked and written exactly as a single
greeting is — so the outbox, the status, the audit trail and the contact's "Greetings" panel
treat them alike — but stored with a few bulk INSERTs, not a few queries per client.

A greeting to many clients at once is marketing: only contacts who agreed to marketing email
and have an address receive it. The segment is the contact list's own filters (tag, owner,
lifecycle, text), narrowed to the contacts the sender may see. `campaign_plan` tells who
receives it and who is skipped and why, without writing anything; `campaign_send` writes.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientela.accounts.models import User
from clientela.accounts.zones import user_zone
from clientela.contacts.models import Contact
from clientela.contacts.selectors import ListFilters, contacts_filtered
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import firm_dates_between, public_holidays_between
from clientela.occasions.greetings import LANGUAGES
from clientela.occasions.models import Greeting, GreetingTemplate
from clientela.occasions.selectors_greetings import greeting_language
from clientela.occasions.services_greetings import greetings_send_to_contacts

# The most clients one campaign greets; a bigger segment is to be split (by tag or owner).
CAMPAIGN_LIMIT = 2000
CAMPAIGN_KIND = "holiday"

NO_CONSENT = "no_consent"
NO_EMAIL = "no_email"
NO_TEMPLATE = "no_template"
GREETED = "greeted"
SKIP_REASONS = {
    NO_CONSENT: gettext_lazy("has not agreed to marketing email"),
    NO_EMAIL: gettext_lazy("has no email address"),
    NO_TEMPLATE: gettext_lazy("no template in the client's language"),
    GREETED: gettext_lazy("already greeted for this holiday"),
}
# A greeting of these statuses did not reach the client: a new campaign may greet them again.
NOT_DELIVERED = (Greeting.Status.FAILED, Greeting.Status.CANCELLED)
# The columns a plan reads: names for the lists and the placeholders, the company's name.
PLAN_COLUMNS = [
    "id", "first_name", "middle_name", "last_name", "sort_name", "language", "primary_email",
    "marketing_consent", "owner_id", "team_id", "company_id", "company__id", "company__name",
]  # fmt: skip


@dataclass(frozen=True)
class Skipped:
    contact: Contact
    reason: str

    @property
    def reason_label(self) -> str:
        return str(SKIP_REASONS[self.reason])


@dataclass
class CampaignPlan:
    """Who a campaign greets, in which language with which template, and who it leaves out."""

    recipients: list[tuple[Contact, GreetingTemplate]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.recipients)

    @property
    def too_many(self) -> bool:
        return self.count > CAMPAIGN_LIMIT

    def skipped_counts(self) -> list[tuple[str, str, int]]:
        """(reason, label, how many) for every reason that left somebody out."""
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        return [(r, str(SKIP_REASONS[r]), counts[r]) for r in SKIP_REASONS if r in counts]

    def languages(self) -> dict[str, int]:
        """How many recipients each language has."""
        counts: dict[str, int] = {}
        for _contact, template in self.recipients:
            counts[template.language] = counts.get(template.language, 0) + 1
        return counts


def holiday_templates() -> list[GreetingTemplate]:
    """The active holiday templates (a campaign may use), by language and name."""
    rows = GreetingTemplate.objects.filter(active=True, occasion_kind=CAMPAIGN_KIND)
    return list(rows.order_by("language", "name", "id"))


def default_templates(templates: list[GreetingTemplate]) -> dict[str, GreetingTemplate | None]:
    """The active holiday template of each language (the first by name), or None."""
    return {
        language: next((t for t in templates if t.language == language), None)
        for language in LANGUAGES
    }


def campaign_plan(
    *,
    actor: User,
    filters: ListFilters,
    templates: dict[str, GreetingTemplate | None],
    day: datetime.date | None = None,
) -> CampaignPlan:
    """Split the segment into recipients and skipped contacts (two queries; writes nothing).

    `templates` maps each language to the template its clients receive (None: nobody in
    that language is greeted). A contact is skipped without marketing consent, then without
    an email address, then without a template in their language, then when a campaign
    already greeted them for the holiday of `day` (a greeting that failed or was cancelled
    does not count), so sending a holiday again reaches only those it has not reached.
    """
    segment = contacts_filtered(actor, filters)
    contacts = segment.select_related("company").only(*PLAN_COLUMNS).order_by("sort_name", "id")
    greeted: set[int] = set()
    if day is not None:
        greeted = set(
            Greeting.objects.filter(holiday=day, contact__in=segment.values("id"))
            .exclude(status__in=NOT_DELIVERED)
            .values_list("contact_id", flat=True)
        )
    plan = CampaignPlan()
    for contact in contacts:
        template = templates.get(greeting_language(contact))
        if not contact.marketing_consent:
            plan.skipped.append(Skipped(contact, NO_CONSENT))
        elif not contact.primary_email:
            plan.skipped.append(Skipped(contact, NO_EMAIL))
        elif template is None:
            plan.skipped.append(Skipped(contact, NO_TEMPLATE))
        elif contact.pk in greeted:
            plan.skipped.append(Skipped(contact, GREETED))
        else:
            plan.recipients.append((contact, template))
    return plan


def holiday_names(day: datetime.date, typed: str = "") -> dict[str, str]:
    """How {occasion} names the holiday of `day` in each greeting language.

    When `day` is exactly one public holiday or firm date, its name in each language (the
    `holidays` library's translation or Clientela's, a firm date's name in that language or
    its own name); otherwise the
    name the sender typed, in every language; with neither, {occasion} stays the generic
    word ("holiday"). The typed name wins when it is not that day's holiday at all.
    """
    following = day + datetime.timedelta(days=1)
    firm = FirmSettings.current()
    own = firm_dates_between(day, following, leap_day_on=firm.leap_day_on)
    names: dict[str, str] = {}
    for language in LANGUAGES:
        found = [item.firm_date.name_in(language) for item in own if item.firm_date] + [
            item.name
            for item in public_holidays_between(
                day, following, country=firm.holiday_country, language=language
            )
        ]
        names[language] = found[0] if len(found) == 1 else ""
    typed = typed.strip()
    if typed and typed not in names.values():
        return dict.fromkeys(LANGUAGES, typed)
    return names


def campaign_moment(
    actor: User, day: datetime.date, time: datetime.time, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """`day` at `time` in the sender's time zone; None when that moment has passed (send now)."""
    moment = datetime.datetime.combine(day, time, tzinfo=user_zone(actor))
    return moment if moment > (now or timezone.now()) else None


@transaction.atomic
def campaign_send(
    *,
    actor: User,
    filters: ListFilters,
    templates: dict[str, GreetingTemplate | None],
    day: datetime.date,
    time: datetime.time,
    expected: int | None = None,
    holiday_name: str = "",
) -> list[Greeting]:
    """Greet every recipient of the segment on `day` at `time` (the sender's time zone; a
    moment already past sends now). All greetings are created, or none.

    Refused: a viewer (PermissionDenied); a template that is not an active one in its
    language ("templates"); nobody to greet or more than CAMPAIGN_LIMIT ("recipients");
    a segment that no longer has the `expected` number of recipients ("recipients"), so what
    is sent is what the sender confirmed. Clients a campaign already greeted for `day` are
    left out (`campaign_plan`). {occasion} names the holiday: see `holiday_names`.
    """
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))
    errors: dict[str, list[str]] = {}
    for language, template in templates.items():
        if template is not None and (
            language not in LANGUAGES
            or template.language != language
            or template.occasion_kind != CAMPAIGN_KIND
            or not template.active
        ):
            errors["templates"] = [_("Choose an active holiday template in each language.")]
    if errors:
        raise ValidationError(errors)
    plan = campaign_plan(actor=actor, filters=filters, templates=templates, day=day)
    if not plan.count:
        errors["recipients"] = [_("Nobody in this segment can receive the greeting.")]
    elif plan.too_many:
        errors["recipients"] = [
            _(
                "A campaign greets at most %(limit)s clients; this segment has %(count)s. "
                "Narrow it by tag, owner or lifecycle and send it in parts."
            )
            % {"limit": CAMPAIGN_LIMIT, "count": plan.count}
        ]
    elif expected is not None and plan.count != expected:
        errors["recipients"] = [
            _("The segment has changed since you checked it: look at it again before sending.")
        ]
    if errors:
        raise ValidationError(errors)
    return greetings_send_to_contacts(
        actor=actor,
        recipients=plan.recipients,
        send_at=campaign_moment(actor, day, time),
        occasion_names=holiday_names(day, holiday_name),
        holiday=day,
    )
