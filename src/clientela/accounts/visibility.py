"""Who sees which records: decided here once, used by every queryset's `visible_to`."""

from django.db.models import Q, QuerySet

from clientela.accounts.models import Scope, User


def owner_visibility_q(user: User, owner_field: str = "owner") -> Q:
    """A filter on the owner of a record for what `user` may see."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = user.effective_scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.TEAM and user.team_id is not None:
        # A subquery, not a join: the planner walks the owner index once per team member.
        team = User.objects.filter(team_id=user.team_id).values("pk")
        return Q(**{f"{owner_field}__in": team})
    return Q(**{f"{owner_field}_id": user.pk})


def assignable_users(user: User) -> QuerySet[User]:
    """The users `user` may hand a record to: anyone active it can see the records of."""
    users = User.objects.filter(is_active=True)
    scope = user.effective_scope
    if scope == Scope.ALL:
        return users
    if scope == Scope.TEAM and user.team_id is not None:
        return users.filter(team_id=user.team_id)
    return users.filter(pk=user.pk)
