from apps.audit.actions import AuditAction


class SupportAction(AuditAction):
    PLAN_WRITTEN = "support.plan_written", "Wrote a support plan"
    PLAN_CHANGED = "support.plan_changed", "Changed a support plan"
    PLAN_VIEWED = "support.plan_viewed", "Viewed a support plan"
    PLAN_DOWNLOADED = "support.plan_downloaded", "Downloaded a support plan for the family"
    PLANS_LISTED = "support.plans_listed", "Listed support plans"
    REVIEW_RECORDED = "support.review_recorded", "Reviewed a support plan"
    ASSESSMENT_RECORDED = "support.assessment_recorded", "Recorded an assessment"
    OBSERVATION_ADDED = "support.observation_added", "Added an observation"
    CLASS_VIEWED = "support.class_viewed", "Viewed the class support page"
    ASSESSMENTS_LISTED = "support.assessments_listed", "Listed assessments"
    REMINDER_SENT = "support.reminder_sent", "Sent the review reminder digest"
