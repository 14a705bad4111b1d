from __future__ import annotations

from apps.audit.actions import AuditAction


class EhcpAction(AuditAction):
    REQUEST_RECORDED = "ehcp.request.recorded", "Recorded an EHC needs assessment request"
    REQUEST_UPDATED = "ehcp.request.updated", "Updated an EHC needs assessment request"
    REQUEST_VIEWED = "ehcp.request.viewed", "Viewed an EHC needs assessment request"
    PLAN_RECORDED = "ehcp.plan.recorded", "Recorded an EHC plan"
    PLAN_UPDATED = "ehcp.plan.updated", "Updated an EHC plan"
    PLAN_VIEWED = "ehcp.plan.viewed", "Viewed an EHC plan"
    REVIEW_SCHEDULED = "ehcp.review.scheduled", "Scheduled an annual review"
    REVIEW_UPDATED = "ehcp.review.updated", "Updated an annual review"
    REVIEW_VIEWED = "ehcp.review.viewed", "Viewed an annual review"
    INVITATIONS_SENT = "ehcp.review.invitations_sent", "Sent annual review invitations"
    ADVICE_RECORDED = "ehcp.review.advice", "Recorded advice for an annual review"
    REPORT_EXPORTED = "ehcp.review.report_exported", "Downloaded an annual review report"
    LISTED = "ehcp.listed", "Listed EHC records"
    CALENDAR_VIEWED = "ehcp.calendar.viewed", "Viewed the statutory calendar"
    FEED_CREATED = "ehcp.feed.created", "Made a personal calendar feed"
    FEED_REVOKED = "ehcp.feed.revoked", "Revoked a personal calendar feed"
    FEED_FETCHED = "ehcp.feed.fetched", "Calendar feed fetched by a calendar client"
    SIXTH_FORM_SET = "ehcp.school.sixth_form", "Changed the school's sixth form setting"
    DIGEST_SENT = "ehcp.digest.sent", "Sent the weekly statutory deadlines digest"
