"""Writes to the tenancy core: provisioning schools, status changes, memberships, invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.core.tasks import queue_after_commit

from .cloning import clone_template
from .hosts import school_host
from .models import Invitation, School, SchoolMembership, Trust, TrustMembership, User
from .roles import SchoolRole, TrustRole
from .slugs import schema_name_for, validate_subdomain
from .typing import tenant_db

TEMPLATE_SCHEMA = settings.TENANT_BASE_SCHEMA


class TemplateSchemaMissing(RuntimeError):
    pass


def school_provision(
    *,
    acting_user: User | None,
    trust: Trust,
    name: str,
    urn: str,
    subdomain: str,
    phase: str,
    local_authority_name: str,
    local_authority_code: str,
    number_on_roll: int = 0,
    has_sixth_form: bool = False,
) -> School:
    """Create a school, its schema (cloned from the migrated template) and its subdomain.

    All in one transaction: PostgreSQL DDL is transactional, so a failure leaves no row, no
    schema and no domain behind.
    """
    errors: dict[str, list[str]] = {}
    try:
        validate_subdomain(subdomain)
    except ValidationError as exc:
        raise ValidationError({"subdomain": exc.messages}) from exc
    schema_name = schema_name_for(subdomain)
    school = School(
        schema_name=schema_name,
        name=name,
        urn=urn,
        phase=phase,
        local_authority_name=local_authority_name,
        local_authority_code=local_authority_code,
        number_on_roll=number_on_roll,
        has_sixth_form=has_sixth_form,
        trust=trust,
    )
    try:
        school.full_clean(exclude=["schema_name"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if School.objects.filter(schema_name__iexact=schema_name).exists() or schema_exists(
        schema_name
    ):
        errors.setdefault("subdomain", []).append(
            f"The web address “{subdomain}” is already taken."
        )
    if errors:
        raise ValidationError(errors)

    tenant_db.set_schema_to_public()
    if not schema_exists(TEMPLATE_SCHEMA):
        raise TemplateSchemaMissing(
            f"The template schema “{TEMPLATE_SCHEMA}” does not exist: run `manage.py migrate` first."
        )
    with transaction.atomic():
        school.save()
        # The copy includes the template's django_migrations rows, so the new schema is known
        # to be fully migrated without replaying a single migration.
        clone_template(TEMPLATE_SCHEMA, schema_name)
        school.domains.create(domain=school_host(subdomain), is_primary=True)
        transaction.on_commit(lambda: _after_provision(school.pk))
    tenant_db.set_schema_to_public()
    return school


def _after_provision(school_id: int) -> None:
    from .signals import school_provisioned

    school = School.objects.get(pk=school_id)
    school_provisioned.send(sender=School, school=school)


def _set_status(school: School, status: str) -> School:
    school.status = status
    school.status_changed_at = timezone.now()
    school.save(update_fields=["status", "status_changed_at"])
    return school


def school_suspend(*, acting_user: User | None, school: School) -> School:
    """Suspended schools are read-only. Nothing is deleted."""
    if school.status == School.Status.ARCHIVED:
        raise ValidationError("An archived school cannot be suspended; reactivate it first.")
    return _set_status(school, School.Status.SUSPENDED)


def school_archive(*, acting_user: User | None, school: School) -> School:
    """Archived schools are closed to school staff; their schema and data are kept."""
    return _set_status(school, School.Status.ARCHIVED)


def school_reactivate(*, acting_user: User | None, school: School) -> School:
    return _set_status(school, School.Status.ACTIVE)


def school_membership_set(
    *, acting_user: User | None, user: User, school: School, role: str
) -> SchoolMembership:
    if role not in SchoolRole.values:
        raise ValidationError({"role": f"“{role}” is not a school role."})
    membership, _ = SchoolMembership.objects.update_or_create(
        user=user, school=school, defaults={"role": role}
    )
    return membership


def trust_membership_set(
    *, acting_user: User | None, user: User, trust: Trust, role: str
) -> TrustMembership:
    if role not in TrustRole.values:
        raise ValidationError({"role": f"“{role}” is not a trust role."})
    membership, _ = TrustMembership.objects.update_or_create(
        user=user, trust=trust, defaults={"role": role}
    )
    return membership


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


INVITATION_LIFETIME = timedelta(days=7)


def invitation_create(
    *,
    acting_user: User | None,
    email: str,
    full_name: str,
    school: School | None = None,
    school_role: str = "",
    trust: Trust | None = None,
    trust_role: str = "",
) -> Invitation:
    """Create an invitation and queue its email after commit (the task makes the token)."""
    if school is None and trust is None:
        raise ValidationError("An invitation needs a school or a trust.")
    if school is not None and school_role not in SchoolRole.values:
        raise ValidationError({"school_role": "Choose a school role."})
    if trust is not None and trust_role not in TrustRole.values:
        raise ValidationError({"trust_role": "Choose a trust role."})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.strip().lower(),
            full_name=full_name.strip(),
            school=school,
            school_role=school_role if school else "",
            trust=trust,
            trust_role=trust_role if trust else "",
            invited_by=acting_user,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        queue_after_commit("tenants.tasks.send_invitation_email", invitation.pk)
    return invitation


def invitation_issue_token(invitation: Invitation) -> str:
    """Make the invitation's one-time token; only its hash is kept. Call inside a transaction."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at"])
    return token


def invitation_for_token(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("school", "trust")
        .filter(
            token_hash=_token_hash(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )
    return invitation


def invitation_accept(
    *, invitation: Invitation, password: str, full_name: str | None = None
) -> User:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError("This invitation has already been used.")
        if invitation.expires_at <= timezone.now():
            raise ValidationError("This invitation has expired. Ask for a new one.")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name or invitation.full_name,
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        if invitation.school is not None:
            school_membership_set(
                acting_user=invitation.invited_by,
                user=user,
                school=invitation.school,
                role=invitation.school_role,
            )
        if invitation.trust is not None:
            trust_membership_set(
                acting_user=invitation.invited_by,
                user=user,
                trust=invitation.trust,
                role=invitation.trust_role,
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user
