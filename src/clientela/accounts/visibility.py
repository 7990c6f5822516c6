"""Who sees which records: decided here once, used by every queryset's `visible_to`."""

from django.db.models import Q, QuerySet

from clientela.accounts.models import Role, Scope, User


def owner_visibility_q(user: User, owner_field: str = "owner", team_field: str | None = None) -> Q:
    """A filter on the owner of a record for what `user` may see.

    A model that keeps its owner's team in a column of its own (`team_field`, kept in step by
    its services) is filtered on that column: one index range (team, sort key), where a filter
    on "owner is one of the team" makes SQLite gather and sort the whole team's records.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = user.effective_scope
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.TEAM and user.team_id is not None:
        if team_field is not None:
            return Q(**{f"{team_field}_id": user.team_id})
        team = User.objects.filter(team_id=user.team_id).values("pk")
        return Q(**{f"{owner_field}__in": team})
    return Q(**{f"{owner_field}_id": user.pk})


def assignable_users(user: User) -> QuerySet[User]:
    """The users `user` may hand a record to: active, able to work on it, and within its sight."""
    users = User.objects.filter(is_active=True).exclude(role=Role.VIEWER)
    scope = user.effective_scope
    if scope == Scope.ALL:
        return users
    if scope == Scope.TEAM and user.team_id is not None:
        return users.filter(team_id=user.team_id)
    return users.filter(pk=user.pk)
