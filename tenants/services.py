"""Writes to the tenancy core: provisioning schools, status changes, memberships, invitations.

Each takes ``acting_user`` (None = the system itself: demo seeding, the ``create_school`` command,
tasks), checks their trust role against one table (tenants/rights.py, on the shared
``TrustRights``) and writes a typed audit row (tenants/actions.py) to the trust's audit log in the
same transaction as the change, so a refusal writes nothing and a change is never unrecorded.
Accepting an invitation is authorised by its one-time token, and recorded with the new member as
the actor."""

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
from apps.trust.audit import trust_audit

from .actions import TenancyAction
from .cloning import clone_template
from .hosts import school_host
from .models import Invitation, School, SchoolMembership, Trust, TrustMembership, User
from .rights import RIGHTS
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
    RIGHTS.require(acting_user, trust.pk, "manage_schools")
    errors: dict[str, list[str]] = {}
    try:
        validate_subdomain(subdomain)
    except ValidationError as exc:
        # Reported together with every other problem, never alone.
        errors["subdomain"] = list(exc.messages)
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
    if "subdomain" not in errors and (
        School.objects.filter(schema_name__iexact=schema_name).exists()
        or schema_exists(schema_name)
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
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TenancyAction.SCHOOL_PROVISIONED,
            school=school,
            summary=f"Set up {school.name} at {school_host(subdomain)}",
        )
        transaction.on_commit(lambda: _after_provision(school.pk))
    tenant_db.set_schema_to_public()
    return school


def _after_provision(school_id: int) -> None:
    from .signals import school_provisioned

    school = School.objects.get(pk=school_id)
    school_provisioned.send(sender=School, school=school)


def _set_status(
    *,
    acting_user: User | None,
    school: School,
    status: str,
    action: TenancyAction,
    summary: str,
) -> School:
    RIGHTS.require(acting_user, school.trust_id, "manage_schools")
    with transaction.atomic():
        school.status = status
        school.status_changed_at = timezone.now()
        school.save(update_fields=["status", "status_changed_at"])
        trust_audit(
            trust=school.trust,
            actor=acting_user,
            action=action,
            school=school,
            summary=summary.format(name=school.name),
        )
    return school


def school_suspend(*, acting_user: User | None, school: School) -> School:
    """Suspended schools are read-only. Nothing is deleted."""
    RIGHTS.require(acting_user, school.trust_id, "manage_schools")
    if school.status == School.Status.ARCHIVED:
        raise ValidationError("An archived school cannot be suspended; reactivate it first.")
    return _set_status(
        acting_user=acting_user,
        school=school,
        status=School.Status.SUSPENDED,
        action=TenancyAction.SCHOOL_SUSPENDED,
        summary="Suspended {name} (read-only)",
    )


def school_archive(*, acting_user: User | None, school: School) -> School:
    """Archived schools are closed to school staff; their schema and data are kept."""
    return _set_status(
        acting_user=acting_user,
        school=school,
        status=School.Status.ARCHIVED,
        action=TenancyAction.SCHOOL_ARCHIVED,
        summary="Archived {name}",
    )


def school_reactivate(*, acting_user: User | None, school: School) -> School:
    return _set_status(
        acting_user=acting_user,
        school=school,
        status=School.Status.ACTIVE,
        action=TenancyAction.SCHOOL_REACTIVATED,
        summary="Reactivated {name}",
    )


def school_membership_set(
    *, acting_user: User | None, user: User, school: School, role: str
) -> SchoolMembership:
    """Give ``user`` a role in ``school`` (or change the one they have)."""
    RIGHTS.require(acting_user, school.trust_id, "manage_people")
    if role not in SchoolRole.values:
        raise ValidationError({"role": f"“{role}” is not a school role."})
    with transaction.atomic():
        membership = _school_role_give(actor=acting_user, user=user, school=school, role=role)
    return membership


def _school_role_give(
    *, actor: User | None, user: User, school: School, role: str
) -> SchoolMembership:
    membership, _ = SchoolMembership.objects.update_or_create(
        user=user, school=school, defaults={"role": role}
    )
    trust_audit(
        trust=school.trust,
        actor=actor,
        action=TenancyAction.SCHOOL_ROLE_SET,
        school=school,
        summary=f"{user.full_name or user.email}: {membership.get_role_display()} at {school.name}",
    )
    return membership


def school_membership_remove(*, acting_user: User | None, user: User, school: School) -> bool:
    """Take away ``user``'s role in ``school``; False when they had none (nothing recorded)."""
    RIGHTS.require(acting_user, school.trust_id, "manage_people")
    with transaction.atomic():
        deleted, _ = SchoolMembership.objects.filter(user=user, school=school).delete()
        if not deleted:
            return False
        trust_audit(
            trust=school.trust,
            actor=acting_user,
            action=TenancyAction.SCHOOL_ROLE_REMOVED,
            school=school,
            summary=f"{user.full_name or user.email} no longer has a role at {school.name}",
        )
    return True


def trust_membership_set(
    *, acting_user: User | None, user: User, trust: Trust, role: str
) -> TrustMembership:
    """Give ``user`` a role in ``trust`` (or change the one they have)."""
    RIGHTS.require(acting_user, trust.pk, "manage_people")
    if role not in TrustRole.values:
        raise ValidationError({"role": f"“{role}” is not a trust role."})
    with transaction.atomic():
        membership = _trust_role_give(actor=acting_user, user=user, trust=trust, role=role)
    return membership


def _trust_role_give(*, actor: User | None, user: User, trust: Trust, role: str) -> TrustMembership:
    membership, _ = TrustMembership.objects.update_or_create(
        user=user, trust=trust, defaults={"role": role}
    )
    trust_audit(
        trust=trust,
        actor=actor,
        action=TenancyAction.TRUST_ROLE_SET,
        summary=f"{user.full_name or user.email}: {membership.get_role_display()} in the trust",
    )
    return membership


def trust_membership_remove(*, acting_user: User | None, user: User, trust: Trust) -> bool:
    """Take away ``user``'s role in ``trust``; False when they had none (nothing recorded). The
    trust keeps at least one trust admin."""
    RIGHTS.require(acting_user, trust.pk, "manage_people")
    with transaction.atomic():
        admins = TrustMembership.objects.select_for_update().filter(
            trust=trust, role=TrustRole.TRUST_ADMIN
        )
        if list(admins.values_list("user_id", flat=True)) == [user.pk]:
            raise ValidationError(
                "The trust needs at least one trust admin: appoint another first."
            )
        deleted, _ = TrustMembership.objects.filter(user=user, trust=trust).delete()
        if not deleted:
            return False
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TenancyAction.TRUST_ROLE_REMOVED,
            summary=f"{user.full_name or user.email} no longer has a role in the trust",
        )
    return True


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
    if trust is not None:
        owner = trust
    elif school is not None:
        owner = school.trust
    else:
        raise ValidationError("An invitation needs a school or a trust.")
    if school is not None and school.trust_id != owner.pk:
        raise ValidationError("The school is not one of the trust's schools.")
    RIGHTS.require(acting_user, owner.pk, "manage_people")
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
        if school is not None:
            trust_audit(
                trust=owner,
                actor=acting_user,
                action=TenancyAction.SCHOOL_USER_INVITED,
                school=school,
                summary=f"Invited {invitation.full_name} as "
                f"{invitation.get_school_role_display()} at {school.name}",
            )
        if trust is not None:
            trust_audit(
                trust=owner,
                actor=acting_user,
                action=TenancyAction.TRUST_USER_INVITED,
                summary=f"Invited {invitation.full_name} as {invitation.get_trust_role_display()}",
            )
        queue_after_commit("tenants.tasks.send_invitation_email", invitation.pk)
    return invitation


def _invitation_trust(invitation: Invitation) -> Trust:
    if invitation.trust is not None:
        return invitation.trust
    assert invitation.school is not None  # the table's check constraint
    trust: Trust = invitation.school.trust
    return trust


def invitation_resend(*, acting_user: User | None, invitation: Invitation) -> Invitation:
    """Send a fresh link (the old one stops working) valid for another full lifetime."""
    trust = _invitation_trust(invitation)
    RIGHTS.require(acting_user, trust.pk, "manage_people")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError("This invitation has already been accepted.")
        invitation.token_hash = None
        invitation.sent_at = None
        invitation.expires_at = timezone.now() + INVITATION_LIFETIME
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TenancyAction.INVITATION_RESENT,
            school=invitation.school,
            summary=f"Sent {invitation.full_name}'s invitation again",
        )
        queue_after_commit("tenants.tasks.send_invitation_email", invitation.pk)
    return invitation


def invitation_revoke(*, acting_user: User | None, invitation: Invitation) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working at once (the row stays,
    expired, as the record that it was sent)."""
    trust = _invitation_trust(invitation)
    RIGHTS.require(acting_user, trust.pk, "manage_people")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError("This invitation has already been accepted.")
        invitation.token_hash = None
        invitation.expires_at = timezone.now()
        invitation.save(update_fields=["token_hash", "expires_at"])
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TenancyAction.INVITATION_REVOKED,
            school=invitation.school,
            summary=f"Withdrew {invitation.full_name}'s invitation",
        )
    return invitation


def invitation_issue_token(invitation: Invitation) -> str:
    """Make the invitation's one-time token; only its hash is kept. Call inside a transaction.
    Called by the email task (the system): the invitation's sending was authorised and recorded
    when it was created or resent."""
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
    """Join with the invitation's role. The one-time token the caller looked the invitation up
    by is the authority (the inviter's role was checked when it was sent): the roles are given,
    and recorded, with the new member as the actor."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("school__trust", "trust")
            .get(pk=invitation.pk)
        )
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
            _school_role_give(
                actor=user, user=user, school=invitation.school, role=invitation.school_role
            )
        if invitation.trust is not None:
            _trust_role_give(
                actor=user, user=user, trust=invitation.trust, role=invitation.trust_role
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        trust_audit(
            trust=_invitation_trust(invitation),
            actor=user,
            action=TenancyAction.INVITATION_ACCEPTED,
            school=invitation.school,
            summary=f"{user.full_name or user.email} accepted their invitation",
        )
    return user
