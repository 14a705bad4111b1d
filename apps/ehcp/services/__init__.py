"""Every write to EHC records, split by noun: assessment requests, plans, reviews, feeds.

Each function is atomic, checks the acting user's right through apps.ehcp.access
(acting_user=None is the system: demo seeding, transfers), validates with precise field-keyed
errors (ValidationError; nothing written) and writes the audit row."""

from .feeds import calendar_feed_create, calendar_feed_revoke, feed_for_token, school_set_sixth_form
from .plans import plan_create, plan_update
from .requests import request_create, request_update
from .reviews import (
    advice_receive,
    advice_request,
    invitation_add,
    invitations_send,
    review_report_prefill,
    review_schedule,
    review_update,
)

__all__ = [
    "advice_receive",
    "advice_request",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "feed_for_token",
    "invitation_add",
    "invitations_send",
    "plan_create",
    "plan_update",
    "request_create",
    "request_update",
    "review_report_prefill",
    "review_schedule",
    "review_update",
    "school_set_sixth_form",
]
