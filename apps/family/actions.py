from apps.audit.actions import AuditAction


class FamilyAction(AuditAction):
    CONTACTS_VIEWED = "family.viewed", "Viewed a pupil's family record"
    CONTACT_ADDED = "family.contact_added", "Added a parent or carer"
    CONTACT_CHANGED = "family.contact_changed", "Changed a parent's or carer's details"
    CONTACTS_LISTED = "family.contacts_listed", "Listed parents and carers"
    MEETING_RECORDED = "family.meeting_recorded", "Recorded a meeting with parents"
    MEETING_CHANGED = "family.meeting_changed", "Changed a meeting with parents"
    MEETINGS_LISTED = "family.meetings_listed", "Listed meetings with parents"
    ACTION_ADDED = "family.action_added", "Added an agreed action"
    ACTION_DONE = "family.action_done", "Marked an agreed action done"
    CONSENT_RECORDED = "family.consent_recorded", "Recorded consent"
    CONSENT_CHANGED = "family.consent_changed", "Changed a consent record"
    CONSENT_WITHDRAWN = "family.consent_withdrawn", "Recorded consent withdrawn"
    CONSENTS_LISTED = "family.consents_listed", "Listed consent records"
