"""Trust billing API: each school's billing status, plan and period end, for trust admins and
finance staff of that trust only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import TrustAPIMixin
from tenants.models import Trust

from .access import RIGHTS, get_school_billing_for
from .selectors import SchoolBilling, trust_billing


class SchoolBillingSerializer(serializers.Serializer):
    school_id = serializers.IntegerField(source="school.pk")
    school = serializers.CharField(source="school.name")
    urn = serializers.CharField(source="school.urn")
    trust_id = serializers.IntegerField(source="school.trust_id")
    plan = serializers.CharField()
    status = serializers.SerializerMethodField()
    status_label = serializers.CharField()
    access = serializers.CharField(
        source="access.level",
        help_text="full, warning (overdue or trial over: grace period) or read_only",
    )
    # A field named like Field.read_only: the API's name is kept.
    read_only = serializers.BooleanField(source="access.read_only")  # type: ignore[assignment]
    grace_ends_at = serializers.DateTimeField(source="access.grace_ends_at", allow_null=True)
    trial_ends_at = serializers.SerializerMethodField()
    current_period_end = serializers.SerializerMethodField()
    payment_method = serializers.SerializerMethodField()
    number_on_roll = serializers.IntegerField(source="school.number_on_roll")

    def get_status(self, row: SchoolBilling) -> str | None:
        return row.account.status if row.account else None

    def get_trial_ends_at(self, row: SchoolBilling) -> str | None:
        return (
            row.account.trial_ends_at.isoformat()
            if row.account and row.account.trial_ends_at
            else None
        )

    def get_current_period_end(self, row: SchoolBilling) -> str | None:
        return (
            row.account.current_period_end.isoformat()
            if row.account and row.account.current_period_end
            else None
        )

    def get_payment_method(self, row: SchoolBilling) -> str:
        return row.account.collection_method if row.account else ""


class TrustBillingListView(TrustAPIMixin, APIView):
    trust_roles = RIGHTS.roles("see_billing")

    @extend_schema(responses=SchoolBillingSerializer(many=True))
    def get(self, request):
        rows = []
        for trust in Trust.objects.filter(pk__in=self.get_trust_ids()).order_by("name"):
            rows.extend(trust_billing(trust))
        return self.list_response(rows, lambda page: SchoolBillingSerializer(page, many=True).data)


class TrustBillingDetailView(TrustAPIMixin, APIView):
    trust_roles = RIGHTS.roles("see_billing")

    @extend_schema(responses=SchoolBillingSerializer)
    def get(self, request, school_id: int):
        return Response(
            SchoolBillingSerializer(
                get_school_billing_for(request.user, school_id, self.get_trust_ids())
            ).data
        )
