"""/api/v1/ehcp/assessment-requests/, /api/v1/ehcp/plans/ (+ /{id}/reviews/),
/api/v1/ehcp/reviews/{id}/ and /api/v1/deadlines/.

Built on SchoolViewSet (every queryset through scope_queryset_for_user, here
access.scope_to_pupils: the register's rule). Writes go through the services, which check the
role again; every object carries its computed statutory dates as ISO dates, returned at once by
the create or update that caused them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from apps.audit.services import record
from apps.core.access import SENCO, SEND_DETAIL_ROLES
from apps.core.api import SchoolAPIView, SchoolViewSet
from apps.core.field_rights import FieldRightsMixin
from apps.pupils.access import visible_pupils

from . import rules, selectors, services
from .access import ASSESSMENT_REQUEST_FIELDS, scope_to_pupils
from .actions import EhcpAction
from .models import (
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PlanOutcome,
    ReviewAdvice,
    ReviewInvitation,
)
from .services.plans import SECTION_FIELDS
from .services.reviews import REPORT_FIELDS, plan_next_review_due

# -- serializers ------------------------------------------------------------------------------


class AssessmentRequestSerializer(FieldRightsMixin, serializers.ModelSerializer):
    field_rights = ASSESSMENT_REQUEST_FIELDS
    pupil = serializers.IntegerField(source="pupil_id")
    decision_due = serializers.DateField()
    refusal_notice_due = serializers.DateField()
    final_plan_due = serializers.DateField()
    decision_late = serializers.SerializerMethodField()
    refusal_late = serializers.SerializerMethodField()
    final_plan_late = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRequest
        fields = [
            "id",
            "pupil",
            "requested_by",
            "requested_on",
            "local_authority",
            "case_officer",
            "decision",
            "decision_on",
            "draft_plan_on",
            "final_plan_on",
            "refused_on",
            "notes",
            "decision_due",
            "refusal_notice_due",
            "final_plan_due",
            "decision_late",
            "refusal_late",
            "final_plan_late",
        ]
        read_only_fields = fields

    def _late(self, due: date, done: date | None) -> bool:
        return rules.is_late(due=due, done_on=done, today=timezone.localdate())

    def get_decision_late(self, obj: AssessmentRequest) -> bool:
        return self._late(obj.decision_due, obj.decision_on)

    def get_refusal_late(self, obj: AssessmentRequest) -> bool:
        return bool(obj.refused_on) and self._late(obj.refusal_notice_due, obj.refused_on)

    def get_final_plan_late(self, obj: AssessmentRequest) -> bool:
        if obj.decision == AssessmentRequest.Decision.NOT_ASSESS or obj.refused_on:
            return False
        return self._late(obj.final_plan_due, obj.final_plan_on)


class AssessmentRequestWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField()
    requested_by = serializers.CharField(max_length=16)
    requested_on = serializers.DateField()
    local_authority = serializers.CharField(max_length=100)
    case_officer = serializers.CharField(max_length=150, required=False, allow_blank=True)
    decision = serializers.CharField(max_length=16, required=False, allow_blank=True)
    decision_on = serializers.DateField(required=False, allow_null=True)
    draft_plan_on = serializers.DateField(required=False, allow_null=True)
    final_plan_on = serializers.DateField(required=False, allow_null=True)
    refused_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class EhcOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanOutcome
        fields = ["text", "by_when"]


class EhcProvisionSerializer(serializers.Serializer):
    description = serializers.CharField()
    intervention = serializers.IntegerField(
        source="intervention_id",
        required=False,
        allow_null=True,
        help_text="The provision map intervention that delivers it (apps.provision).",
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        return {"description": value["description"], "intervention": value.get("intervention_id")}


class EhcPlanSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id")
    outcomes = EhcOutcomeSerializer(many=True)
    provision = EhcProvisionSerializer(many=True)
    next_review_due = serializers.SerializerMethodField()
    amend_by = serializers.SerializerMethodField()

    class Meta:
        model = EhcPlan
        fields = [
            "id",
            "pupil",
            "issued_on",
            "local_authority",
            "case_officer",
            "status",
            "ceased_on",
            "section_a",
            "section_b",
            "section_c",
            "section_d",
            "outcomes",
            "provision",
            "section_g",
            "section_h1",
            "section_h2",
            "placement",
            "personal_budget_amount",
            "personal_budget_details",
            "section_k",
            "phase_transfer_amended_on",
            "next_review_due",
            "amend_by",
        ]
        read_only_fields = fields

    def get_next_review_due(self, obj: EhcPlan) -> date | None:
        if obj.status != EhcPlan.Status.ACTIVE:
            return None
        last = getattr(obj, "last_held", None)
        if last is None and not hasattr(obj, "last_held"):
            return plan_next_review_due(obj)
        return rules.next_review_due(
            issued_on=obj.issued_on,
            last_review_meeting_on=last,
            date_of_birth=obj.pupil.date_of_birth,
        )

    def get_amend_by(self, obj: EhcPlan) -> date | None:
        school = self.context["school"]
        return rules.amend_by(
            phase=school.phase,
            has_sixth_form=school.has_sixth_form,
            year_group=obj.pupil.year_group,
            today=timezone.localdate(),
        )


class EhcPlanWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField()
    issued_on = serializers.DateField()
    local_authority = serializers.CharField(max_length=100)
    case_officer = serializers.CharField(max_length=150, required=False, allow_blank=True)
    status = serializers.CharField(max_length=8, required=False)
    ceased_on = serializers.DateField(required=False, allow_null=True)
    outcomes = EhcOutcomeSerializer(many=True, required=False)
    provision = EhcProvisionSerializer(many=True, required=False)
    personal_budget_amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    phase_transfer_amended_on = serializers.DateField(required=False, allow_null=True)
    update_register = serializers.BooleanField(
        required=False,
        default=False,
        help_text="When the pupil is not at E on the register, change the entry to E in the same step.",
    )
    assessment_request = serializers.IntegerField(required=False, allow_null=True)


for _field in SECTION_FIELDS:
    EhcPlanWriteSerializer._declared_fields[_field] = serializers.CharField(
        required=False, allow_blank=True, max_length=20000 if _field != "placement" else 200
    )


class ReviewInvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewInvitation
        fields = ["id", "invitee", "name", "sent_on"]


class ReviewAdviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewAdvice
        fields = ["id", "source", "requested_on", "received_on"]


class AnnualReviewSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id")
    pupil = serializers.IntegerField(source="plan.pupil_id")
    invitations = ReviewInvitationSerializer(many=True)
    advice = ReviewAdviceSerializer(many=True)
    invitations_by = serializers.DateField()
    report_due = serializers.DateField()
    la_decision_due = serializers.DateField()
    amended_plan_due = serializers.DateField(allow_null=True)

    class Meta:
        model = AnnualReview
        fields = [
            "id",
            "plan",
            "pupil",
            "meeting_on",
            "meeting_held",
            "review_due_by",
            "invitations",
            "advice",
            "report_sent_on",
            "la_decision",
            "la_decision_on",
            "amendment_notice_on",
            "amended_plan_issued_on",
            *REPORT_FIELDS,
            "invitations_by",
            "report_due",
            "la_decision_due",
            "amended_plan_due",
        ]
        read_only_fields = fields


class ReviewInviteeSerializer(serializers.Serializer):
    invitee = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class AnnualReviewCreateSerializer(serializers.Serializer):
    meeting_on = serializers.DateField()
    invitees = ReviewInviteeSerializer(many=True, required=False)


class AnnualReviewWriteSerializer(serializers.Serializer):
    meeting_on = serializers.DateField(required=False)
    meeting_held = serializers.BooleanField(required=False)
    invitations_sent_on = serializers.DateField(
        required=False, help_text="Marks every invitation not yet sent as sent on this date."
    )
    report_sent_on = serializers.DateField(required=False, allow_null=True)
    la_decision = serializers.CharField(max_length=8, required=False, allow_blank=True)
    la_decision_on = serializers.DateField(required=False, allow_null=True)
    amendment_notice_on = serializers.DateField(required=False, allow_null=True)
    amended_plan_issued_on = serializers.DateField(required=False, allow_null=True)


for _field in REPORT_FIELDS:
    AnnualReviewWriteSerializer._declared_fields[_field] = serializers.CharField(
        required=False, allow_blank=True, max_length=50000
    )


class StatutoryDeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    # A field named like Field.label (the serializer's own label): the API's name is kept.
    label = serializers.CharField()  # type: ignore[assignment]
    due = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=rules.STATUSES)
    pupil = serializers.IntegerField(source="pupil_id")
    reference = serializers.CharField()
    assessment_request = serializers.IntegerField(source="request_id", allow_null=True)
    plan = serializers.IntegerField(source="plan_id", allow_null=True)
    review = serializers.IntegerField(source="review_id", allow_null=True)


# -- views ------------------------------------------------------------------------------------


class EhcViewSet(SchoolViewSet):
    lookup_value_converter = "int"
    allowed_roles = SEND_DETAIL_ROLES
    write_roles = frozenset({SENCO})
    pupil_path = "pupil_id"

    def scope_queryset_for_user(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return scope_to_pupils(queryset, self.school_access, self.request.user, self.pupil_path)

    def get_row(self, what: str) -> Any:
        row = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise NotFound(f"No {what} with that id that you can see.")
        return row

    def pupil_from_body(self, pupil_id: int) -> Any:
        pupil = visible_pupils(self.school_access, self.request.user).filter(pk=pupil_id).first()
        if pupil is None:
            raise serializers.ValidationError(
                {"pupil": ["No pupil with that id that you can see."]}
            )
        return pupil

    def audit_list(self, rows: list[Any], what: str, pupil_attr: str) -> None:
        record(
            user=self.request.user,
            action=EhcpAction.LISTED,
            request=self.request,
            summary=f"{len(rows)} {what} listed through the API",
            extra={"pupil_ids": sorted({pupil_attr_value(r, pupil_attr) for r in rows})[:200]},
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "school": self.school}


def pupil_attr_value(row: Any, path: str) -> int:
    for part in path.split("."):
        row = getattr(row, part)
    return int(row)


class AssessmentRequestViewSet(EhcViewSet, mixins.ListModelMixin):
    """EHC needs assessment requests with their computed dates and late flags."""

    serializer_class = AssessmentRequestSerializer

    def get_school_queryset(self) -> QuerySet[AssessmentRequest]:
        return AssessmentRequest.objects.order_by("-requested_on", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def page_out(rows: list[AssessmentRequest]) -> Any:
            self.audit_list(rows, "EHC needs assessment requests", "pupil_id")
            return AssessmentRequestSerializer(rows, many=True, context={"request": request}).data

        return self.list_response(self.get_queryset(), page_out)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        row = self.get_row("assessment request")
        record(
            user=request.user,
            action=EhcpAction.REQUEST_VIEWED,
            pupil=row.pupil,
            request=request,
            summary="Read an EHC needs assessment request through the API",
        )
        return Response(AssessmentRequestSerializer(row, context={"request": request}).data)

    @extend_schema(
        request=AssessmentRequestWriteSerializer, responses={201: AssessmentRequestSerializer}
    )
    def create(self, request: Request) -> Response:
        body = AssessmentRequestWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pupil = self.pupil_from_body(data.pop("pupil"))
        row = services.request_create(
            acting_user=request.user, pupil=pupil, request=request, **data
        )
        return Response(
            AssessmentRequestSerializer(row, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=AssessmentRequestWriteSerializer, responses=AssessmentRequestSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=True)

    @extend_schema(request=AssessmentRequestWriteSerializer, responses=AssessmentRequestSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=False)

    def _update(self, request: Request, *, partial: bool) -> Response:
        row = self.get_row("assessment request")
        body = AssessmentRequestWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data.pop("pupil", row.pupil_id) != row.pupil_id:
            raise serializers.ValidationError(
                {"pupil": ["A request cannot move to another pupil."]}
            )
        row = services.request_update(
            acting_user=request.user, assessment_request=row, request=request, **data
        )
        return Response(AssessmentRequestSerializer(row, context={"request": request}).data)


def _plans_queryset() -> QuerySet[EhcPlan]:
    return EhcPlan.objects.select_related("pupil").prefetch_related("outcomes", "provision")


class PlanViewSet(EhcViewSet, mixins.ListModelMixin):
    """EHC plans with sections A to K, next_review_due and amend_by. Reviews of a plan:
    /api/v1/ehcp/plans/{id}/reviews/ (list, create)."""

    serializer_class = EhcPlanSerializer

    def get_school_queryset(self) -> QuerySet[EhcPlan]:
        from django.db.models import Max, Q

        return (
            _plans_queryset()
            .annotate(last_held=Max("reviews__meeting_on", filter=Q(reviews__meeting_held=True)))
            .order_by("-issued_on", "-id")
        )

    def _out(self, plan: EhcPlan) -> dict[str, Any]:
        plan = self.get_queryset().get(pk=plan.pk)
        return EhcPlanSerializer(plan, context=self.get_serializer_context()).data

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def page_out(rows: list[EhcPlan]) -> Any:
            self.audit_list(rows, "EHC plans", "pupil_id")
            return EhcPlanSerializer(rows, many=True, context=self.get_serializer_context()).data

        return self.list_response(self.get_queryset(), page_out)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        plan = self.get_row("EHC plan")
        record(
            user=request.user,
            action=EhcpAction.PLAN_VIEWED,
            pupil=plan.pupil,
            request=request,
            summary="Read an EHC plan through the API",
            extra={"plan_id": plan.pk},
        )
        return Response(EhcPlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(request=EhcPlanWriteSerializer, responses={201: EhcPlanSerializer})
    def create(self, request: Request) -> Response:
        body = EhcPlanWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pupil = self.pupil_from_body(data.pop("pupil"))
        request_id = data.pop("assessment_request", None)
        assessment_request = None
        if request_id is not None:
            assessment_request = AssessmentRequest.objects.filter(
                pk=request_id, pupil=pupil
            ).first()
            if assessment_request is None:
                raise serializers.ValidationError(
                    {"assessment_request": ["No request with that id for this pupil."]}
                )
        plan = services.plan_create(
            acting_user=request.user,
            pupil=pupil,
            request=request,
            assessment_request=assessment_request,
            **data,
        )
        return Response(self._out(plan), status=status.HTTP_201_CREATED)

    @extend_schema(request=EhcPlanWriteSerializer, responses=EhcPlanSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=True)

    @extend_schema(request=EhcPlanWriteSerializer, responses=EhcPlanSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=False)

    def _update(self, request: Request, *, partial: bool) -> Response:
        plan = self.get_row("EHC plan")
        body = EhcPlanWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data.pop("pupil", plan.pupil_id) != plan.pupil_id:
            raise serializers.ValidationError({"pupil": ["A plan cannot move to another pupil."]})
        data.pop("update_register", None)
        data.pop("assessment_request", None)
        plan = services.plan_update(acting_user=request.user, plan=plan, request=request, **data)
        return Response(self._out(plan))

    @extend_schema(methods=["GET"], responses=AnnualReviewSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=AnnualReviewCreateSerializer,
        responses={201: AnnualReviewSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="reviews")
    def reviews(self, request: Request, pk: int | None = None) -> Response:
        plan = self.get_row("EHC plan")
        if request.method == "POST":
            body = AnnualReviewCreateSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            review = services.review_schedule(
                acting_user=request.user,
                plan=plan,
                request=request,
                meeting_on=body.validated_data["meeting_on"],
                invitees=body.validated_data.get("invitees"),
            )
            return Response(
                AnnualReviewSerializer(_reviews_queryset().get(pk=review.pk)).data,
                status=status.HTTP_201_CREATED,
            )
        record(
            user=request.user,
            action=EhcpAction.REVIEW_VIEWED,
            pupil=plan.pupil,
            request=request,
            summary="Listed a plan's annual reviews through the API",
            extra={"plan_id": plan.pk},
        )
        return self.list_response(
            _reviews_queryset().filter(plan=plan).order_by("-meeting_on", "-id"),
            lambda rows: AnnualReviewSerializer(rows, many=True).data,
        )


def _reviews_queryset() -> QuerySet[AnnualReview]:
    return AnnualReview.objects.select_related("plan").prefetch_related(
        Prefetch("invitations", queryset=ReviewInvitation.objects.order_by("id")),
        Prefetch("advice", queryset=ReviewAdvice.objects.order_by("id")),
    )


class ReviewViewSet(EhcViewSet):
    """One annual review: read it, or update it (meeting held, report sent, LA decision,
    amendment_notice_on, ...); the computed dates come back at once."""

    serializer_class = AnnualReviewSerializer
    pupil_path = "plan__pupil_id"

    def get_school_queryset(self) -> QuerySet[AnnualReview]:
        return _reviews_queryset().select_related("plan__pupil")

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        review = self.get_row("annual review")
        record(
            user=request.user,
            action=EhcpAction.REVIEW_VIEWED,
            pupil=review.plan.pupil,
            request=request,
            summary="Read an annual review through the API",
            extra={"review_id": review.pk},
        )
        return Response(AnnualReviewSerializer(review).data)

    @extend_schema(request=AnnualReviewWriteSerializer, responses=AnnualReviewSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request)

    @extend_schema(request=AnnualReviewWriteSerializer, responses=AnnualReviewSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request)

    def _update(self, request: Request) -> Response:
        from django.db import transaction

        review = self.get_row("annual review")
        body = AnnualReviewWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        sent_on = data.pop("invitations_sent_on", None)
        with transaction.atomic():
            if sent_on is not None:
                services.invitations_send(
                    acting_user=request.user, review=review, sent_on=sent_on, request=request
                )
            if data:
                services.review_update(
                    acting_user=request.user, review=review, request=request, **data
                )
        return Response(AnnualReviewSerializer(self.get_queryset().get(pk=review.pk)).data)


class DeadlinesView(SchoolAPIView):
    """Every statutory deadline you may see, due between `from` and `to` (ISO dates; default
    four weeks ago to a year ahead). Each has kind, due, status (done, done_late, overdue,
    upcoming) and pupil (the pupil's id)."""

    allowed_roles = SEND_DETAIL_ROLES

    def get_school_queryset(self) -> QuerySet[Any]:  # rows come from selectors.school_deadlines
        return EhcPlan.objects.none()

    def scope_queryset_for_user(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First due date (YYYY-MM-DD)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last due date (YYYY-MM-DD)"),
        ],
        responses=StatutoryDeadlineSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        bounds: dict[str, date] = {}
        for name, default in (
            ("from", today - timedelta(weeks=4)),
            ("to", today + timedelta(days=365)),
        ):
            raw = request.query_params.get(name)
            if raw is None or raw == "":
                bounds[name] = default
                continue
            try:
                bounds[name] = date.fromisoformat(raw)
                if len(raw) != 10:
                    raise ValueError
            except ValueError:
                errors[name] = ["Use a real date as YYYY-MM-DD, e.g. 2026-02-15."]
        if not errors and bounds["from"] > bounds["to"]:
            errors["to"] = ["`to` is before `from`."]
        if errors:
            raise serializers.ValidationError(errors)
        rows = [
            d
            for d in selectors.school_deadlines(
                self.school_access, request.user, today=today, school=self.school
            )
            if bounds["from"] <= d.due <= bounds["to"]
        ]

        def page_out(page: list[Any]) -> list[dict[str, Any]]:
            record(
                user=request.user,
                action=EhcpAction.LISTED,
                request=request,
                summary=f"{len(page)} statutory deadlines listed through the API",
                extra={"pupil_ids": sorted({d.pupil_id for d in page})[:200]},
            )
            # Plain dicts: a school's three years run to thousands of deadlines, and DRF's field
            # machinery costs more than the rest of the request (StatutoryDeadlineSerializer
            # documents them).
            return [
                {
                    "kind": d.kind,
                    "label": d.label,
                    "due": d.due.isoformat(),
                    "done_on": d.done_on.isoformat() if d.done_on else None,
                    "status": d.status,
                    "pupil": d.pupil_id,
                    "reference": d.reference,
                    "assessment_request": d.request_id,
                    "plan": d.plan_id,
                    "review": d.review_id,
                }
                for d in page
            ]

        return self.list_response(rows, page_out)
