"""The arithmetic of the policy: which limit applies, what a margin is, what a discount cost.

- The limit that applies is the smaller of the role's limit and the client's segment limit;
  the segment limit is the smallest of the rules the client matches (contact and company both
  count when a record has both). None means no limit.
- margin % = (price − cost) / price × 100, the price being what the client pays (after the
  discount). A price of 0 with a cost above 0 is below any floor.
- The discount given in money, from the price paid and the %: price × d / (100 − d) (the list
  price was price / (1 − d/100)); a 100 % discount has no known list price and counts 0.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from clientela.accounts.models import Role, User
from clientela.contacts.models import CompanyTag, ContactTag
from clientela.retention.discounts.models import DiscountPolicy, SegmentRule

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def policy_current() -> DiscountPolicy | None:
    """The saved policy; None until an administrator saves one (then nothing is limited)."""
    return DiscountPolicy.objects.filter(pk=1).first()


def role_limit(policy: DiscountPolicy, user: User) -> Decimal | None:
    if user.is_superuser or user.role == Role.ADMIN:
        return policy.admin_max_percent
    if user.role == Role.LEAD:
        return policy.lead_max_percent
    return policy.manager_max_percent


@dataclass(frozen=True)
class ClientSegment:
    """What the rules look at: the contact's stage and the tags of the contact and company."""

    lifecycle: str
    tag_ids: frozenset[int]


def segment_limit(rules: Iterable[SegmentRule], segment: ClientSegment) -> Decimal | None:
    found = [
        rule.max_percent
        for rule in rules
        if (not rule.lifecycle or rule.lifecycle == segment.lifecycle)
        and (rule.tag_id is None or rule.tag_id in segment.tag_ids)
    ]
    return min(found) if found else None


def smaller(*limits: Decimal | None) -> Decimal | None:
    present = [limit for limit in limits if limit is not None]
    return min(present) if present else None


def client_segment(contact_id: int | None, company_id: int | None, lifecycle: str) -> ClientSegment:
    """One client's segment (two small queries: its tags)."""
    tags: set[int] = set()
    if contact_id:
        tags |= set(
            ContactTag.objects.filter(contact_id=contact_id).values_list("tag_id", flat=True)
        )
    if company_id:
        tags |= set(
            CompanyTag.objects.filter(company_id=company_id).values_list("tag_id", flat=True)
        )
    return ClientSegment(lifecycle=lifecycle, tag_ids=frozenset(tags))


@dataclass(frozen=True)
class Limit:
    role: Decimal | None
    segment: Decimal | None

    @property
    def applies(self) -> Decimal | None:
        return smaller(self.role, self.segment)


def limit_for(
    policy: DiscountPolicy,
    user: User,
    contact_id: int | None,
    company_id: int | None,
    lifecycle: str,
) -> Limit:
    rules = list(SegmentRule.objects.all())
    segment = segment_limit(rules, client_segment(contact_id, company_id, lifecycle))
    return Limit(role=role_limit(policy, user), segment=segment)


def margin_percent(amount: Decimal, cost: Decimal | None) -> Decimal | None:
    """(price − cost) / price in %, two places; None without a cost or a price."""
    if cost is None or amount <= 0:
        return None
    return ((amount - cost) * HUNDRED / amount).quantize(CENT)


def below_floor(floor: Decimal | None, amount: Decimal, cost: Decimal | None) -> bool:
    if floor is None or cost is None:
        return False
    if amount <= 0:
        return cost > 0
    margin = margin_percent(amount, cost)
    return margin is not None and margin < floor


def discount_money(amount: Decimal, percent: Decimal | None) -> Decimal:
    """What the discount cost in money: amount × d / (100 − d); 0 for none or for 100 %."""
    if not percent or percent >= HUNDRED:
        return Decimal(0)
    return (amount * percent / (HUNDRED - percent)).quantize(CENT)


def show(percent: Decimal) -> str:
    """12.50 → "12.5", 10.00 → "10"."""
    return format(percent.normalize(), "f")
