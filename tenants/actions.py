"""Audit actions of the tenancy core (apps.audit.actions.AuditAction): schools provisioned and
their status changed, roles given and taken away, invitations sent, resent, revoked and accepted.
They are written to the trust's audit log (apps.trust.audit.trust_audit, public schema), which the
trust admin reads; the codes of the school status changes are the ones the console always wrote."""

from __future__ import annotations

from apps.audit.actions import AuditAction


class TenancyAction(AuditAction):
    SCHOOL_PROVISIONED = "school_provisioned", "Set up a school's records and web address"
    SCHOOL_SUSPENDED = "school_suspend", "Suspended a school"
    SCHOOL_ARCHIVED = "school_archive", "Archived a school"
    SCHOOL_REACTIVATED = "school_reactivate", "Reactivated a school"
    SCHOOL_ROLE_SET = "school_role_set", "Gave someone a role in a school"
    SCHOOL_ROLE_REMOVED = "school_role_removed", "Took away someone's role in a school"
    TRUST_ROLE_SET = "trust_role_set", "Gave someone a role in the trust"
    TRUST_ROLE_REMOVED = "trust_role_removed", "Took away someone's role in the trust"
    SCHOOL_USER_INVITED = "school_user_invited", "Invited someone to a school"
    TRUST_USER_INVITED = "trust_user_invited", "Invited someone to the trust"
    INVITATION_RESENT = "invitation_resent", "Sent an invitation again"
    INVITATION_REVOKED = "invitation_revoked", "Withdrew an invitation"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation"
