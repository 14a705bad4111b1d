"""Audit actions of pupil records (apps.audit.actions.AuditAction)."""

from __future__ import annotations

from apps.audit.actions import AuditAction


class PupilAction(AuditAction):
    VIEWED = "pupil.viewed", "Viewed pupil record"
    CREATED = "pupil.created", "Added pupil"
    UPDATED = "pupil.updated", "Changed pupil details"
    LISTED_BY_API = "api.pupil.listed", "Listed pupils through the API"
    REGISTER_CHANGED = "register.changed", "Changed SEN register entry"
    REGISTER_VIEWED = "register.viewed", "Viewed the SEN register"
    REGISTER_SEARCHED = "register.searched", "Searched the SEN register"
    PROFILE_UPDATED = "profile.updated", "Changed one-page profile"
    VOICE_ADDED = "voice.added", "Recorded pupil voice"
    STRATEGY_ADDED = "strategy.added", "Added a strategy"
    STRATEGY_RETIRED = "strategy.retired", "Retired a strategy"
    CONCERN_RAISED = "concern.raised", "Raised a concern"
    CONCERN_TRIAGED = "concern.triaged", "Triaged a concern"
    CONCERN_VIEWED = "concern.viewed", "Viewed a concern"
    CLASS_CHANGED = "class.changed", "Changed a class"
    TA_ASSIGNED = "ta.assigned", "Assigned a teaching assistant"
    TA_UNASSIGNED = "ta.unassigned", "Removed a teaching assistant"
    ACCESS_LOG_VIEWED = "access_log.viewed", "Viewed a pupil's access log"
    PASSPORT_PRINTED = "passport.printed", "Printed a pupil passport"
    STRATEGY_SHEET_PRINTED = "strategy_sheet.printed", "Printed a class strategy sheet"
