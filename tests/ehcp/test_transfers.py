"""EHC plans, reviews and requests travel on an in-trust transfer (apps.trust.transfers)."""

from __future__ import annotations

from apps.ehcp.models import AssessmentRequest, EhcPlan
from apps.ehcp.services import request_create
from apps.trust.transfers import TransferContext, transfer_parts
from tests.ehcp.factories import days, make_plan, make_review
from tests.pupils.factories import make_pupil
from tests.support import in_school


def test_the_ehcp_part_is_discovered_after_the_pupil():
    parts = {p.key: p for p in transfer_parts()}
    assert parts["ehcp"].order > parts["pupil"].order


def test_plans_reviews_and_requests_move_with_the_pupil(school_a, school_b, people):
    part = {p.key: p for p in transfer_parts()}["ehcp"]
    with in_school(school_a):
        pupil = make_pupil(provision="E", primary_need="ASD")
        req = request_create(
            acting_user=None,
            pupil=pupil,
            requested_by="parent",
            requested_on=days(-500),
            local_authority="K",
        )
        plan = make_plan(pupil, issued_on=days(-380), assessment_request=req)
        review = make_review(plan, days(-5), held=True)
        ctx = TransferContext(
            source_pupil_id=pupil.pk, from_school=school_a, to_school=school_b, acting_user=None
        )
        payload = part.export(ctx)
    with in_school(school_b):
        copy = make_pupil(provision="E", primary_need="ASD")
        ctx.received_pupil_id = copy.pk
        copied = part.import_(payload, ctx)
        moved = EhcPlan.objects.get(pupil=copy)
        assert moved.issued_on == plan.issued_on and moved.assessment_request.pupil_id == copy.pk
        assert list(moved.outcomes.values_list("text", flat=True)) == ["Reads independently"]
        moved_review = moved.reviews.get()
        assert (moved_review.meeting_on, moved_review.meeting_held, moved_review.review_due_by) == (
            review.meeting_on,
            True,
            review.review_due_by,
        )
        assert moved_review.invitations.count() == 3
        assert AssessmentRequest.objects.filter(pupil=copy).count() == 1
        assert (
            copied == 1 + 1 + 1 + 1 + 1 + 3
        )  # request, plan, outcome, provision, review, invitations
