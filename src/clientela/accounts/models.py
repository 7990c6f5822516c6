import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEAD = "lead", _("Team lead")
    MANAGER = "manager", _("Manager")
    VIEWER = "viewer", _("Viewer")


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    TEAM = "team", _("Team's records")
    ALL = "all", _("All records")


# What each role sees unless an administrator sets the user's scope otherwise.
DEFAULT_SCOPE = {
    Role.ADMIN: Scope.ALL,
    Role.LEAD: Scope.TEAM,
    Role.MANAGER: Scope.OWN,
    Role.VIEWER: Scope.TEAM,
}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MANAGER)
    scope = models.CharField(
        _("sees"),
        max_length=10,
        choices=Scope.choices,
        blank=True,
        help_text=_("Leave empty to use the role's default."),
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("team"),
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def effective_scope(self) -> str:
        if self.is_superuser:
            return Scope.ALL
        return self.scope or DEFAULT_SCOPE[Role(self.role)]

    @property
    def can_write(self) -> bool:
        return self.is_active and self.role != Role.VIEWER

    @property
    def is_admin(self) -> bool:
        # A deactivated administrator keeps its role for the record but none of its powers
        # (restoring anyone's records, defining fields, revoking others' tokens).
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    digest = models.CharField(_("fingerprint"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
