"""/api/v1/plans/, /api/v1/plans/{id}/reviews/, /api/v1/assessments/.

Built on SchoolViewSet (scoping forced); querysets come from access.visible_plans /
visible_assessments, the same rule the pages use; writes go through services, which check the
role again. Plan JSON: id, pupil, version, status (current | superseded), review_due, outcomes
(id, description, measure, target_date, rating) and the rest of the plan."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from apps.audit.services import record
from apps.core.acting import record_reads
from apps.core.api import SchoolViewSet, keyed_by_id

from . import services
from .access import RIGHTS, visible_assessments, visible_plans
from .actions import SupportAction
from .models import Assessment, Outcome, Review, SupportPlan

# -- serializers ---------------------------------------------------------------------------


class OutcomeSerializer(serializers.ModelSerializer):
    intervention = serializers.IntegerField(
        source="intervention_id", allow_null=True, read_only=True
    )

    class Meta:
        model = Outcome
        fields = ["id", "description", "measure", "target_date", "rating", "intervention"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    previous = serializers.IntegerField(source="previous_id", allow_null=True, read_only=True)
    provision = serializers.SerializerMethodField()

    class Meta:
        model = SupportPlan
        fields = [
            "id",
            "pupil",
            "version",
            "status",
            "previous",
            "starts_on",
            "review_due",
            "outcomes",
            "strategies",
            "pupil_views",
            "parent_views",
            "lead_user_id",
            "lead_name",
            "provision",
            "written_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_provision(self, plan: SupportPlan) -> list[int]:
        return [g.pk for g in plan.provision.all()]


class OutcomeInSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True)
    measure = serializers.CharField(allow_blank=True, required=False, default="")
    target_date = serializers.DateField(required=False, allow_null=True, default=None)
    intervention = serializers.IntegerField(required=False, allow_null=True, default=None)


class PlanWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField()
    outcomes = OutcomeInSerializer(many=True)
    strategies = serializers.CharField(required=False, allow_blank=True, default="")
    pupil_views = serializers.CharField(required=False, allow_blank=True, default="")
    parent_views = serializers.CharField(required=False, allow_blank=True, default="")
    lead_user_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    review_due = serializers.DateField(required=False, allow_null=True, default=None)
    provision = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )


class PlanUpdateSerializer(serializers.Serializer):
    outcomes = OutcomeInSerializer(many=True, required=False)
    strategies = serializers.CharField(required=False, allow_blank=True)
    pupil_views = serializers.CharField(required=False, allow_blank=True)
    parent_views = serializers.CharField(required=False, allow_blank=True)
    lead_user_id = serializers.IntegerField(required=False, allow_null=True)
    review_due = serializers.DateField(required=False)
    provision = serializers.ListField(child=serializers.IntegerField(), required=False)


class ReviewSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    next_plan = serializers.IntegerField(source="next_plan_id", read_only=True)
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    ratings = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "plan",
            "next_plan",
            "pupil",
            "held_on",
            "attendees",
            "pupil_contribution",
            "parent_contribution",
            "next_steps",
            "ratings",
            "recorded_by_name",
        ]
        read_only_fields = fields

    def get_ratings(self, review: Review) -> dict[str, str]:
        return {str(o.pk): o.rating for o in review.plan.outcomes.all()}


class ReviewWriteSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    ratings = serializers.DictField(
        child=serializers.CharField(), help_text="Outcome id -> not_met, partly_met, met, exceeded."
    )
    attendees = serializers.CharField(required=False, allow_blank=True, default="")
    pupil_contribution = serializers.CharField(required=False, allow_blank=True, default="")
    parent_contribution = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    next_outcomes = OutcomeInSerializer(many=True, required=False)
    review_due = serializers.DateField(required=False, allow_null=True, default=None)


class AssessmentSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "pupil",
            "kind",
            "measure",
            "value",
            "numeric_value",
            "assessed_on",
            "assessed_by_name",
            "notes",
        ]
        read_only_fields = ["id", "assessed_by_name"]


class AssessmentWriteSerializer(serializers.Serializer):
    """Types only: the rules (kinds, dates, blanks) are the service's, so every problem is
    reported at once."""

    pupil = serializers.IntegerField()
    kind = serializers.CharField(allow_blank=True)
    measure = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    numeric_value = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
    )
    assessed_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


def _outcomes_in(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "description": r.get("description", ""),
            "measure": r.get("measure", ""),
            "target_date": r.get("target_date"),
            "intervention_id": r.get("intervention"),
        }
        for r in rows
    ]


PUPIL_PARAM = OpenApiParameter("pupil", int, description="Only this pupil's rows.")


def _pupil_filter(request: Request) -> int | None:
    raw = request.query_params.get("pupil") or ""
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise serializers.ValidationError({"pupil": ["Give a pupil id."]}) from None


# -- views ---------------------------------------------------------------------------------


class PlanViewSet(mixins.ListModelMixin, SchoolViewSet):
    """Support plans. SENCo writes; teachers and TAs read the plans of pupils they can see;
    headteacher and trust SEND lead read; office and governors cannot."""

    serializer_class = PlanSerializer
    allowed_roles = RIGHTS.roles("see_plans")
    write_roles = RIGHTS.roles("write_plan")
    lookup_value_converter = "int"

    def get_school_queryset(self) -> Any:
        return SupportPlan.objects.all()

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset.filter(
            pk__in=visible_plans(self.school_access, self.request.user).values("pk")
        )

    def _plan(self) -> SupportPlan:
        plan: SupportPlan | None = (
            self.get_queryset()
            .prefetch_related("outcomes", "provision")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if plan is None:
            raise NotFound("No support plan with that id that you can see.")
        return plan

    @extend_schema(
        parameters=[
            PUPIL_PARAM,
            OpenApiParameter("status", str, enum=["current", "superseded"]),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = (
            self.get_queryset()
            .prefetch_related("outcomes", "provision")
            .order_by("pupil_id", "-version")
        )
        pupil = _pupil_filter(request)
        if pupil is not None:
            qs = qs.filter(pupil_id=pupil)
        status_ = request.query_params.get("status")
        if status_:
            if status_ not in SupportPlan.Status.values:
                raise serializers.ValidationError({"status": ["Use current or superseded."]})
            qs = qs.filter(status=status_)
        page = self.paginate_queryset(qs)
        rows = page if page is not None else list(qs)
        record_reads(
            user=request.user,
            action=SupportAction.PLANS_LISTED,
            pupil_ids=sorted({p.pupil_id for p in rows}),
            summary="Support plan listed through the API",
            request=request,
        )
        data = PlanSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        plan = self._plan()
        record(
            user=request.user,
            action=SupportAction.PLAN_VIEWED,
            pupil=plan.pupil,
            summary=f"Read support plan version {plan.version} through the API",
            request=request,
        )
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=PlanWriteSerializer, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        body = PlanWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        plan = services.plan_create(
            acting_user=request.user,
            pupil_id=d["pupil"],
            outcomes=_outcomes_in(d["outcomes"]),
            strategies=d["strategies"],
            pupil_views=d["pupil_views"],
            parent_views=d["parent_views"],
            lead_user_id=d["lead_user_id"],
            starts_on=d["starts_on"],
            review_due=d["review_due"],
            provision_group_ids=d["provision"],
            request=request,
        )
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses=PlanSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request)

    @extend_schema(request=PlanUpdateSerializer, responses=PlanSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request)

    def _update(self, request: Request) -> Response:
        plan = self._plan()
        body = PlanUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        if "outcomes" in changes:
            changes["outcomes"] = _outcomes_in(changes["outcomes"])
        plan = services.plan_update(
            acting_user=request.user, plan_id=plan.pk, changes=changes, request=request
        )
        plan = SupportPlan.objects.prefetch_related("outcomes", "provision").get(pk=plan.pk)
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        methods=["GET"],
        responses=ReviewSerializer(many=True),
        description="Reviews of this pupil's plans, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=ReviewWriteSerializer,
        responses={201: PlanSerializer},
        description="Record the review of this (current) plan; answers the plan's new version.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="reviews",
        # Recording a review is the SENCo's; reading reviews is for whoever reads the plan.
    )
    def reviews(self, request: Request, pk: int | None = None) -> Response:
        plan = self._plan()
        if request.method == "GET":
            reviews = (
                Review.objects.filter(pupil_id=plan.pupil_id)
                .select_related("plan")
                .prefetch_related("plan__outcomes")
                .order_by("-held_on", "-id")
            )
            record(
                user=request.user,
                action=SupportAction.PLAN_VIEWED,
                pupil=plan.pupil,
                summary="Read support plan reviews through the API",
                request=request,
            )
            return self.list_response(reviews, lambda page: ReviewSerializer(page, many=True).data)
        body = ReviewWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        ratings = keyed_by_id(
            d["ratings"], field="ratings", message="Ratings are keyed by outcome id."
        )
        review = services.review_record(
            acting_user=request.user,
            plan_id=plan.pk,
            held_on=d["held_on"],
            ratings=ratings,
            attendees=d["attendees"],
            pupil_contribution=d["pupil_contribution"],
            parent_contribution=d["parent_contribution"],
            next_steps=d["next_steps"],
            next_outcomes=_outcomes_in(d["next_outcomes"]) if "next_outcomes" in d else None,
            review_due=d["review_due"],
            request=request,
        )
        new = SupportPlan.objects.prefetch_related("outcomes", "provision").get(
            pk=review.next_plan_id
        )
        return Response(PlanSerializer(new).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(mixins.ListModelMixin, SchoolViewSet):
    """Assessments (standardised scores, reading and spelling ages, screeners, observations)."""

    serializer_class = AssessmentSerializer
    allowed_roles = RIGHTS.roles("see_plans")
    write_roles = RIGHTS.roles("record_assessment")

    def get_school_queryset(self) -> Any:
        return Assessment.objects.all()

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset.filter(
            pk__in=visible_assessments(self.school_access, self.request.user).values("pk")
        )

    @extend_schema(parameters=[PUPIL_PARAM])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.get_queryset().order_by("-assessed_on", "-id")
        pupil = _pupil_filter(request)
        if pupil is not None:
            qs = qs.filter(pupil_id=pupil)
        page = self.paginate_queryset(qs)
        rows = page if page is not None else list(qs)
        record_reads(
            user=request.user,
            action=SupportAction.ASSESSMENTS_LISTED,
            pupil_ids=sorted({a.pupil_id for a in rows}),
            summary="Assessment listed through the API",
            request=request,
        )
        data = AssessmentSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=AssessmentWriteSerializer, responses={201: AssessmentSerializer})
    def create(self, request: Request) -> Response:
        body = AssessmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        assessment = services.assessment_record(
            acting_user=request.user,
            pupil_id=d["pupil"],
            kind=d["kind"],
            measure=d["measure"],
            value=d["value"],
            numeric_value=d.get("numeric_value"),
            assessed_on=d["assessed_on"],
            notes=d.get("notes", ""),
            request=request,
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)
