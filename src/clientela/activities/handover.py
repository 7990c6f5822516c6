"""Handing a manager's book of clients over to colleagues.

The book is what a manager is working on: its live contacts and companies, its open deals and
its open tasks. Each client goes to the colleague chosen for it (or to the default one); a
deal follows its client, a task follows the client it is about. The clients change owner
through the contacts services (in bulk: `contacts_transfer`), so their purchases, activities
and the rest follow them (contacts.client_copies) and whoever takes a client over sees its whole story. What is
history stays as it was: calls keep who made them, won and lost deals and done tasks keep
their owner.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.accounts.visibility import assignable_users
from clientela.activities.models import Task
from clientela.activities.services import activity_create, task_update
from clientela.contacts.models import Company, Contact
from clientela.contacts.services import companies_transfer, contacts_transfer
from clientela.core.audit import audit_history, audit_record
from clientela.core.models import AuditEvent
from clientela.sales.models import Deal, StageKind
from clientela.sales.services import deal_update

CONTACT = "contact"
COMPANY = "company"
ClientKey = tuple[str, int]  # ("contact", 12) or ("company", 7)
Client = Contact | Company


def client_key(client: Client) -> ClientKey:
    return (CONTACT, client.pk) if isinstance(client, Contact) else (COMPANY, client.pk)


# --- who may hand over whose book ----------------------------------------------------------------


def handover_allowed(actor: User, from_user: User) -> bool:
    """An administrator hands over anyone's book; a team lead, a manager's of its own team."""
    if not actor.can_write:
        return False
    if actor.is_admin:
        return True
    return (
        actor.role == Role.LEAD
        and actor.team_id is not None
        and from_user.team_id == actor.team_id
        and from_user.role == Role.MANAGER
    )


def handover_sources(actor: User) -> QuerySet[User]:
    """The users whose book `actor` may hand over (the departed, deactivated ones included)."""
    if not actor.can_write:
        return User.objects.none()
    if actor.is_admin:
        return User.objects.exclude(role=Role.VIEWER)
    if actor.role == Role.LEAD and actor.team_id is not None:
        return User.objects.filter(team_id=actor.team_id, role=Role.MANAGER)
    return User.objects.none()


def handover_targets(actor: User, from_user: User) -> QuerySet[User]:
    """The colleagues `actor` may give `from_user`'s book to."""
    return assignable_users(actor).exclude(pk=from_user.pk)


# --- the book ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookCounts:
    contacts: int
    companies: int
    deals: int
    tasks: int

    @property
    def clients(self) -> int:
        return self.contacts + self.companies

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.companies or self.deals or self.tasks)


@dataclass(frozen=True)
class Book:
    contacts: list[Contact]
    companies: list[Company]
    deals: list[Deal]
    tasks: list[Task]

    def clients(self) -> list[Client]:
        found: list[Client] = [*self.contacts, *self.companies]
        return found

    def client_keys(self) -> set[ClientKey]:
        return {client_key(c) for c in self.clients()}


def _book_querysets(
    actor: User, from_user: User, only: Collection[ClientKey] | None
) -> tuple[QuerySet[Contact], QuerySet[Company], QuerySet[Deal], QuerySet[Task]]:
    contacts = Contact.objects.visible_to(actor).filter(owner=from_user)
    companies = Company.objects.visible_to(actor).filter(owner=from_user)
    deals = Deal.objects.visible_to(actor).filter(owner=from_user, stage__kind=StageKind.OPEN)
    tasks = Task.objects.visible_to(actor).filter(owner=from_user, done_at__isnull=True)
    if only is not None:
        contact_ids = [pk for kind, pk in only if kind == CONTACT]
        company_ids = [pk for kind, pk in only if kind == COMPANY]
        contacts = contacts.filter(pk__in=contact_ids)
        companies = companies.filter(pk__in=company_ids)
        deals = deals.filter(Q(contact_id__in=contact_ids) | Q(company_id__in=company_ids))
        tasks = tasks.filter(
            Q(contact_id__in=contact_ids)
            | Q(company_id__in=company_ids)
            | Q(deal__contact_id__in=contact_ids)
            | Q(deal__company_id__in=company_ids)
        )
    return contacts, companies, deals, tasks


def handover_book_counts(actor: User, from_user: User) -> BookCounts:
    contacts, companies, deals, tasks = _book_querysets(actor, from_user, None)
    return BookCounts(contacts.count(), companies.count(), deals.count(), tasks.count())


def handover_clients(
    actor: User, from_user: User, *, limit: int, keys: Collection[ClientKey] | None = None
) -> list[Client]:
    """At most `limit` clients of the book by name, contacts first; with `keys`, only those."""
    contacts, companies, _deals, _tasks = _book_querysets(actor, from_user, keys)
    found: list[Client] = list(contacts.order_by("sort_name", "id")[:limit])
    found += list(companies.order_by("sort_name", "id")[: max(0, limit - len(found))])
    return found


def handover_book(
    actor: User, from_user: User, *, only: Collection[ClientKey] | None = None
) -> Book:
    """`from_user`'s book as `actor` sees it; with `only`, just those clients and the open
    deals and tasks about them."""
    contacts, companies, deals, tasks = _book_querysets(actor, from_user, only)
    return Book(
        contacts=list(contacts.select_related("owner").order_by("sort_name", "id")),
        companies=list(companies.select_related("owner").order_by("sort_name", "id")),
        deals=list(deals.select_related("owner").order_by("id")),
        tasks=list(tasks.select_related("owner", "deal").order_by("due_date", "id")),
    )


def handover_spread(book: Book, colleagues: Sequence[User]) -> dict[ClientKey, User]:
    """Share the clients evenly: each goes to the colleague with the fewest so far (the first
    such in `colleagues`), in order of name, which is a round robin. A company travels with
    its people in the book, so one colleague knows the whole firm; the largest firms are
    placed first so that the counts still come out even."""
    if not colleagues:
        return {}
    units: dict[ClientKey, list[ClientKey]] = {
        client_key(c): [client_key(c)] for c in book.companies
    }
    for contact in book.contacts:
        firm = (COMPANY, contact.company_id) if contact.company_id else None
        if firm in units:
            units[firm].append(client_key(contact))
        else:
            units[client_key(contact)] = [client_key(contact)]
    ordered = sorted(units.values(), key=len, reverse=True)  # stable: name order within a size
    loads = [0] * len(colleagues)
    shares: dict[ClientKey, User] = {}
    for unit in ordered:
        least = loads.index(min(loads))
        for key in unit:
            shares[key] = colleagues[least]
        loads[least] += len(unit)
    return shares


# --- the plan and the result ---------------------------------------------------------------------


@dataclass
class ColleagueShare:
    user: User
    contacts: int = 0
    companies: int = 0
    deals: int = 0
    tasks: int = 0

    @property
    def clients(self) -> int:
        return self.contacts + self.companies


@dataclass
class HandoverPlan:
    """Who gets what: every record of the book with its new owner."""

    contacts: list[tuple[Contact, User]] = field(default_factory=list)
    companies: list[tuple[Company, User]] = field(default_factory=list)
    deals: list[tuple[Deal, User]] = field(default_factory=list)
    tasks: list[tuple[Task, User]] = field(default_factory=list)

    def shares(self) -> list[ColleagueShare]:
        """Per colleague, how many of each kind it gets (in the order they first appear)."""
        found: dict[int, ColleagueShare] = {}
        for kind in ("contacts", "companies", "deals", "tasks"):
            for _record, user in getattr(self, kind):
                share = found.setdefault(user.pk, ColleagueShare(user=user))
                setattr(share, kind, getattr(share, kind) + 1)
        return list(found.values())

    def client_moves(self) -> list[tuple[Client, User]]:
        found: list[tuple[Client, User]] = [*self.contacts, *self.companies]
        return found

    def clients_of(self, user: User) -> list[Client]:
        return [c for c, u in self.client_moves() if u.pk == user.pk]


@dataclass(frozen=True)
class HandoverResult:
    contacts: int
    companies: int
    deals: int
    tasks: int
    colleagues: list[ColleagueShare]

    def as_dict(self) -> dict[str, Any]:
        """Plain values (for a session): counts, and per colleague its id, name and counts."""
        return {
            "contacts": self.contacts,
            "companies": self.companies,
            "deals": self.deals,
            "tasks": self.tasks,
            "colleagues": [
                {
                    "id": s.user.pk,
                    "name": str(s.user),
                    "contacts": s.contacts,
                    "companies": s.companies,
                    "deals": s.deals,
                    "tasks": s.tasks,
                }
                for s in self.colleagues
            ],
        }


def handover_plan(
    book: Book, assignments: Mapping[ClientKey, User], default_to: User
) -> HandoverPlan:
    """Each client to its colleague in `assignments`, else `default_to`; a deal to the
    colleague of its contact, else of its company; a task to the colleague of its contact,
    company or deal's client; anything else to `default_to`."""
    plan = HandoverPlan()
    targets: dict[ClientKey, User] = {}
    for client in book.clients():
        key = client_key(client)
        targets[key] = assignments.get(key, default_to)
    plan.contacts = [(c, targets[client_key(c)]) for c in book.contacts]
    plan.companies = [(c, targets[client_key(c)]) for c in book.companies]

    def client_target(contact_id: int | None, company_id: int | None) -> User | None:
        if contact_id is not None and (CONTACT, contact_id) in targets:
            return targets[(CONTACT, contact_id)]
        if company_id is not None and (COMPANY, company_id) in targets:
            return targets[(COMPANY, company_id)]
        return None

    plan.deals = [(d, client_target(d.contact_id, d.company_id) or default_to) for d in book.deals]
    for task in book.tasks:
        target = client_target(task.contact_id, task.company_id)
        if target is None and task.deal is not None:
            target = client_target(task.deal.contact_id, task.deal.company_id)
        plan.tasks.append((task, target or default_to))
    return plan


# --- the service ---------------------------------------------------------------------------------


def _target_error(from_user: User, user: Any, allowed: set[int]) -> str | None:
    if not isinstance(user, User):
        return _("Choose a colleague.")
    if user.pk == from_user.pk:
        return _("A book cannot be handed over to the manager it belongs to.")
    if not user.can_write:
        return _("%(name)s cannot take clients over (inactive or read-only).") % {"name": user}
    if user.pk not in allowed:
        return _("You cannot give records to %(name)s.") % {"name": user}
    return None


def _validate(
    *,
    actor: User,
    from_user: User,
    book: Book,
    assignments: Mapping[ClientKey, Any],
    default_to: Any,
    note: str,
) -> None:
    errors: dict[str, list[str]] = {}
    wanted = {u.pk for u in [default_to, *assignments.values()] if isinstance(u, User)}
    allowed = set(assignable_users(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    problem = _target_error(from_user, default_to, allowed)
    if problem:
        errors["default_to"] = [problem]
    keys = book.client_keys()
    names = {client_key(c): str(c) for c in book.clients()}
    for key, user in assignments.items():
        if key not in keys:
            errors.setdefault("assignments", []).append(
                _("A client chosen is no longer in the book; reload the page.")
            )
            continue
        problem = _target_error(from_user, user, allowed)
        if problem:
            errors.setdefault("assignments", []).append(f"{names[key]}: {problem}")
    if not (note or "").strip():
        errors["note"] = [_("Write a note for the colleagues who take the clients over.")]
    elif "\x00" in note:
        errors["note"] = [_("Null characters are not allowed.")]
    if errors:
        raise ValidationError(errors)


def _moved(record: Any, error: ValidationError) -> ValidationError:
    """A refusal of one record's own service, said of that record (the whole handover stops)."""
    return ValidationError(
        {
            "assignments": [
                _("%(record)s: %(problem)s") % {"record": record, "problem": m}
                for m in error.messages
            ]
        }
    )


def _transfer(actor: User, record: Any, before: User, after: User) -> None:
    """Record the move as a transfer: the owner change the service has just recorded becomes
    the transfer, so the record's history tells it once."""
    change = {"owner": [str(before), str(after)]}
    latest = audit_history(record).filter(action="update", actor=actor).first()
    if latest is not None and latest.changes == change:
        latest.action = AuditEvent.Action.TRANSFER
        latest.save(update_fields=["action"])
    else:
        audit_record(actor=actor, action="transfer", obj=record, changes=change)


@transaction.atomic
def handover(
    *,
    actor: User,
    from_user: User,
    assignments: Mapping[ClientKey, User],
    default_to: User,
    note: str,
    only_clients: Iterable[ClientKey] | None = None,
) -> HandoverResult:
    """Give `from_user`'s book to colleagues, all of it or nothing.

    - Only an administrator, or a lead for a manager of its own team (PermissionDenied).
    - Every colleague must be active, able to write, one the actor may give records to, and
      not `from_user`; every client in `assignments` must be in the book; the note is
      required (ValidationError naming "default_to", "assignments" or "note").
    - With `only_clients`, just those clients (and the open deals and tasks about them) move.
    - Each moved record gets a "transfer" event in its history, and each client a note "Handover
      from X to Y" with `note` by the actor on its timeline.
    """
    if not handover_allowed(actor, from_user):
        raise PermissionDenied(
            _("Only an administrator, or the lead of the manager's team, can hand a book over.")
        )
    only = set(only_clients) if only_clients is not None else None
    book = handover_book(actor, from_user, only=only)
    _validate(
        actor=actor,
        from_user=from_user,
        book=book,
        assignments=assignments,
        default_to=default_to,
        note=note,
    )
    plan = handover_plan(book, assignments, default_to)
    # The clients move in bulk (their owner only: one UPDATE per colleague and table), each
    # recorded as a transfer; deals and tasks one by one, through their own services.
    contacts_transfer(actor=actor, moves={c.pk: target for c, target in plan.contacts})
    companies_transfer(actor=actor, moves={c.pk: target for c, target in plan.companies})
    for deal, target in plan.deals:
        try:
            deal_update(actor=actor, deal=deal, data={"owner": target.pk})
        except ValidationError as exc:
            raise _moved(deal, exc) from exc
        _transfer(actor, deal, from_user, target)
    for task, target in plan.tasks:
        try:
            task_update(actor=actor, task=task, data={"owner": target.pk})
        except ValidationError as exc:
            raise _moved(task, exc) from exc
        _transfer(actor, task, from_user, target)
    for client, target in plan.client_moves():
        field_name = CONTACT if isinstance(client, Contact) else COMPANY
        subject = _("Handover from %(from)s to %(to)s") % {"from": from_user, "to": target}
        activity_create(
            actor=actor,
            data={"kind": "note", field_name: client.pk, "subject": subject[:200], "body": note},
        )
    return HandoverResult(
        contacts=len(plan.contacts),
        companies=len(plan.companies),
        deals=len(plan.deals),
        tasks=len(plan.tasks),
        colleagues=plan.shares(),
    )
