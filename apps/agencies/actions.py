from apps.audit.actions import AuditAction


class AgencyAction(AuditAction):
    AGENCY_ADDED = "agency.added", "Added an agency to the directory"
    AGENCY_CHANGED = "agency.changed", "Changed an agency in the directory"
    REFERRAL_DRAFTED = "referral.drafted", "Drafted a referral"
    REFERRAL_SENT = "referral.sent", "Sent a referral"
    REFERRAL_CHANGED = "referral.changed", "Updated a referral"
    REFERRAL_STOPPED = "referral.stopped", "Stopped a referral (consent withdrawn)"
    REFERRAL_VIEWED = "referral.viewed", "Viewed a referral"
    REFERRALS_LISTED = "referral.listed", "Listed referrals"
    REPORT_LOGGED = "referral.report_logged", "Logged an agency's report"
    RECOMMENDATION_ADOPTED = "referral.recommendation_adopted", "Acted on a report's recommendation"
    RECOMMENDATION_REVIEWED = "referral.recommendation_reviewed", "Reviewed a recommendation"
    TIME_BOUGHT = "agency.time_bought", "Recorded bought agency time"
    TIME_USED = "agency.time_used", "Recorded agency time used"
