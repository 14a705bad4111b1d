"""Audit actions of the trust console (apps.audit.actions.AuditAction), written to the trust's
audit log (TrustAuditEvent) and, for pupil-level actions, to the school's own log too. School
status changes, roles and invitations are the tenancy core's (tenants/actions.py)."""

from __future__ import annotations

from apps.audit.actions import AuditAction


class TrustAction(AuditAction):
    SCHOOL_ONBOARDED = "school_onboarded", "Onboarded a school"
    SCHOOL_LEFT = "school_left", "A school left the trust"
    SCHOOL_JOINED = "school_joined", "A school joined the trust"
    SETTINGS_CHANGED = "settings_changed", "Changed the trust's settings"
    DRILL_DOWN = "drill_down", "Opened a school's pupil records"
    SCHOOL_DRILL_DOWN = "trust_drill_down", "Trust SEND lead opened the school's records"
    DASHBOARD_EXPORTED = "dashboard_exported", "Exported the trust dashboard"
    ROLLUPS_REFRESHED = "rollups_refreshed", "Refreshed the trust's figures"
    ARRANGEMENT_SAVED = "arrangement_saved", "Saved a shared SENCo arrangement"
    ARRANGEMENT_REVIEWED = "arrangement_reviewed", "Reviewed a shared SENCo arrangement"
    QUALIFICATION_SAVED = "qualification_saved", "Recorded a SENCo's qualification"
    LIBRARY_PUBLISHED = "library_published", "Published to the trust library"
    LIBRARY_ADOPTED = "library_adopted", "Adopted a trust library item"
    LIBRARY_WITHDRAWN = "library_withdrawn", "Withdrew an item from the trust library"
    TRANSFER_STARTED = "transfer_started", "Started a transfer"
    TRANSFER_ACCEPTED = "transfer_accepted", "Accepted a transfer"
    TRANSFER_DECLINED = "transfer_declined", "Declined a transfer"
    TRANSFER_CANCELLED = "transfer_cancelled", "Cancelled a transfer"
    TRANSFER_RECEIVED = "transfer_received", "Received a pupil's SEND file"
    TRANSFER_SENT = "transfer_sent", "Sent a pupil's SEND file"
    LOCKOUT_LIFTED = "lockout_lifted", "Lifted a sign-in lockout"
    ADDRESS_LOCKOUT_LIFTED = "address_lockout_lifted", "Lifted a network address's sign-in lockout"
    TWO_STEP_RESET = "two_step_reset", "Reset someone's two-step sign-in"
