"""/api/v1/agencies/ and /api/v1/referrals/ (list, create, read, update).

Referrals are scoped through the pupil (the register's rule); every list and read is audited.
Updating a referral moves it on: ``status: "sent"`` sends it (refused without current consent),
later statuses record their dates, and a report's ``recommendations`` come with
``status: "report_received"``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.audit.services import record
from apps.core.api import ServiceWriteViewSet
from apps.family.access import scope_by_pupil
from apps.pupils.access import visible_pupils

from . import services
from .access import RIGHTS
from .actions import AgencyAction
from .models import Agency, AgencyContact, AgencyKind, Recommendation, Referral


class AgencyContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyContact
        fields = ["name", "job_title", "phone", "email"]


class AgencySerializer(serializers.ModelSerializer):
    contacts = AgencyContactSerializer(many=True, read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "kind",
            "name",
            "phone",
            "email",
            "address",
            "website",
            "how_to_refer",
            "is_active",
            "from_trust_library_item",
            "contacts",
        ]
        read_only_fields = fields


class AgencyWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
    name = serializers.CharField(max_length=150, required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    how_to_refer = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    contacts = AgencyContactSerializer(many=True, required=False)


class RecommendationSerializer(serializers.ModelSerializer):
    strategy = serializers.IntegerField(source="strategy_id", read_only=True, allow_null=True)

    class Meta:
        model = Recommendation
        fields = ["id", "text", "outcome", "strategy", "review_on", "reviewed_on", "review_note"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    agency_kind = serializers.CharField(source="agency.kind", read_only=True)
    consent = serializers.IntegerField(source="consent_id", read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField()
    waiting_days = serializers.SerializerMethodField()
    recommendations = RecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "pupil",
            "agency",
            "agency_kind",
            "reason",
            "evidence",
            "consent",
            "status",
            "drafted_on",
            "sent_on",
            "accepted_on",
            "appointment_on",
            "report_received_on",
            "report_summary",
            "stopped_reason",
            "waiting_days",
            "recommendations",
        ]
        read_only_fields = fields

    def get_evidence(self, referral: Referral) -> list[int]:
        return [d.pk for d in referral.evidence.all()]

    def get_waiting_days(self, referral: Referral) -> int | None:
        return referral.waiting_days(self.context.get("today"))


class ReferralWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(required=False, help_text="Required when creating.")
    agency = serializers.IntegerField(required=False, help_text="Required when creating.")
    reason = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of the pupil's documents."
    )
    status = serializers.ChoiceField(choices=Referral.Status.choices, required=False)
    sent_on = serializers.DateField(required=False)
    accepted_on = serializers.DateField(required=False)
    appointment_on = serializers.DateField(required=False)
    report_received_on = serializers.DateField(required=False)
    report_summary = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="With status report_received."
    )


class AgencyViewSet(ServiceWriteViewSet, mixins.ListModelMixin):
    """The school's directory of agencies with their contacts (?kind= filters)."""

    serializer_class = AgencySerializer
    write_serializer_class = AgencyWriteSerializer
    not_found_message = "No agency with that id in this school."
    allowed_roles = RIGHTS.roles("see_directory")
    write_roles = RIGHTS.roles("write_directory")

    def get_school_queryset(self) -> Any:
        return Agency.objects.prefetch_related("contacts")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset  # the directory holds no pupil data: every reader sees all of it

    def filter_queryset(self, queryset: Any) -> Any:
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in AgencyKind.values:
                raise ValidationError({"kind": [f"Use one of: {', '.join(AgencyKind.values)}."]})
            queryset = queryset.filter(kind=kind)
        return queryset

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        return Response(self.get_serializer(self.get_row(pk)).data)

    def create_with_service(self, data: dict[str, Any]) -> Any:
        contacts = [dict(c) for c in data.pop("contacts", [])]
        data.pop("is_active", None)
        return services.agency_add(
            acting_user=self.request.user, contacts=contacts, request=self.request, **data
        )

    def update_with_service(self, agency: Any, data: dict[str, Any]) -> Any:
        contacts = [dict(c) for c in data.pop("contacts")] if "contacts" in data else None
        return services.agency_update(
            acting_user=self.request.user,
            agency=agency,
            contacts=contacts,
            request=self.request,
            **data,
        )


class ReferralViewSet(ServiceWriteViewSet, mixins.ListModelMixin):
    """Referrals of pupils the caller may see, newest first. Filters: ?pupil=, ?status=,
    ?agency=."""

    serializer_class = ReferralSerializer
    write_serializer_class = ReferralWriteSerializer
    not_found_message = "No referral with that id that you can see."
    allowed_roles = RIGHTS.roles("see_referrals")
    write_roles = RIGHTS.roles("write_referrals")

    def get_school_queryset(self) -> Any:
        return Referral.objects.select_related("agency", "pupil").prefetch_related(
            "evidence", "recommendations"
        )

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return scope_by_pupil(queryset, self.school_access, self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def filter_queryset(self, queryset: Any) -> Any:
        params = self.request.query_params
        for name in ("pupil", "agency"):
            value = params.get(name)
            if value:
                if not value.isdigit():
                    raise ValidationError({name: ["Give an id (a number)."]})
                queryset = queryset.filter(**{f"{name}_id": int(value)})
        wanted = params.get("status")
        if wanted:
            if wanted not in Referral.Status.values:
                raise ValidationError(
                    {"status": [f"Use one of: {', '.join(Referral.Status.values)}."]}
                )
            queryset = queryset.filter(status=wanted)
        return queryset.order_by("-drafted_on", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        record(
            user=request.user,
            action=AgencyAction.REFERRALS_LISTED,
            request=request,
            summary=f"{len(rows)} referrals listed through the API",
            extra={"referral_ids": [r.pk for r in rows[:50]]},
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        referral = self.get_row(pk)
        record(
            user=request.user,
            action=AgencyAction.REFERRAL_VIEWED,
            pupil=referral.pupil,
            request=request,
            summary="Read a referral through the API",
            extra={"referral_id": referral.pk},
        )
        return Response(self.get_serializer(referral).data)

    def create_with_service(self, data: dict[str, Any]) -> Any:
        errors: dict[str, list[str]] = {}
        pupil = (
            visible_pupils(self.school_access, self.request.user)
            .filter(pk=data.get("pupil", 0))
            .first()
        )
        if pupil is None:
            errors["pupil"] = ["No pupil with that id that you can see."]
        agency = Agency.objects.filter(pk=data.get("agency", 0)).first()
        if agency is None:
            errors["agency"] = ["No agency with that id in this school."]
        if errors or pupil is None or agency is None:
            raise ValidationError(errors)
        return services.referral_make(
            acting_user=self.request.user,
            pupil=pupil,
            agency=agency,
            reason=data.get("reason", ""),
            evidence_ids=data.get("evidence", []),
            send=data.get("status") == Referral.Status.SENT,
            sent_on=data.get("sent_on"),
            request=self.request,
        )

    def update_with_service(self, referral: Any, data: dict[str, Any]) -> Any:
        for fixed in ("pupil", "agency", "evidence"):
            if fixed in data:
                raise ValidationError(
                    {fixed: ["The pupil, agency and evidence of a referral are set when drafted."]}
                )
        return services.referral_update(
            acting_user=self.request.user, referral=referral, request=self.request, **data
        )
