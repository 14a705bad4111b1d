"""Public-schema models: trusts, schools (the tenants), their domains, users and memberships."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_tenants.models import DomainMixin, TenantMixin

from .roles import SchoolRole, TrustRole

urn_validator = RegexValidator(r"^\d{6}$", "A DfE URN is exactly 6 digits.")
la_code_validator = RegexValidator(r"^\d{3}$", "A local authority code is exactly 3 digits.")


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)
    companies_house_number = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(TenantMixin):
    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
        SIXTEEN_PLUS = "16_plus", "16 plus"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200)
    urn = models.CharField("DfE URN", max_length=6, unique=True, validators=[urn_validator])
    phase = models.CharField(max_length=32, choices=Phase.choices)
    local_authority_name = models.CharField(max_length=100)
    local_authority_code = models.CharField(max_length=3, validators=[la_code_validator])
    number_on_roll = models.PositiveIntegerField(default=0)
    # A secondary without a sixth form sends its Year 11 pupils to post-16 settings: their EHC
    # plans must be amended by 31 March rather than 15 February (SEND Regulations 2014 reg. 18).
    has_sixth_form = models.BooleanField(default=False)
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Schemas are created by tenants.services.school_provision (template clone), never implicitly,
    # and never dropped: archiving keeps everything.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def slug(self) -> str:
        return str(self.schema_name).replace("_", "-")

    @property
    def is_active(self) -> bool:
        return bool(self.status == self.Status.ACTIVE)


class Domain(DomainMixin):
    pass


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """One login (email) across the platform; schools and trusts come from memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    # Platform operators (Django admin on the platform domain); no school data by default.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped to end every session of the person on every host at once, with every hop link and
    # remembered browser (all are bound to get_session_auth_hash): a trust admin's reset of a
    # lost authenticator (tenants.sessions.sessions_end_everywhere).
    sessions_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Django keeps this hash in every session and refuses a session whose hash no longer matches
    # (django.contrib.auth.get_user). Django's own is an HMAC of the password hash, so a new
    # password ends every other session; ours also covers the sessions epoch, so bumping it does
    # the same without touching the password. At epoch 0 it is exactly Django's, so sessions made
    # before the epoch existed carry on.
    def _session_auth_hash(self, secret: str | bytes | None = None) -> str:
        value = (
            self.password if not self.sessions_epoch else f"{self.password}:{self.sessions_epoch}"
        )
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_auth_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=fallback_secret)


class SchoolMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="school_memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=SchoolRole.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_role_per_user_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.school}"


class TrustMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trust_memberships")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=TrustRole.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "trust"], name="one_role_per_user_per_trust")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.trust}"


class Invitation(models.Model):
    """A one-time link that lets a person set their password and join a school or a trust."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    school_role = models.CharField(max_length=32, choices=SchoolRole.choices, blank=True)
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    trust_role = models.CharField(max_length=32, choices=TrustRole.choices, blank=True)
    # Only a hash of the token is stored, set when the email is sent: the token itself exists in
    # the email alone, and never travels through the task queue.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school__isnull=False) | models.Q(trust__isnull=False),
                name="invitation_has_a_school_or_a_trust",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"
