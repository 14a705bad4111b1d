"""Trust API (platform host, trust roles only). Every queryset starts from the trusts the user
holds a qualifying role in (TrustAPIMixin.get_trust_ids), so another trust's rows cannot appear."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import TrustAPIMixin
from tenants.models import School, Trust

from . import selectors
from .access import RIGHTS
from .library import item_types
from .models import LibraryItem, PupilTransfer, SharedSencoArrangement
from .serializers import (
    LibraryItemSerializer,
    MetricsSerializer,
    SharedSencoSerializer,
    TransferSerializer,
    TrustSchoolSerializer,
)


class TrustListView(TrustAPIMixin, APIView):
    def trusts(self):
        return Trust.objects.filter(pk__in=self.get_trust_ids()).order_by("name")


class SchoolsAPI(TrustListView):
    trust_roles = RIGHTS.roles("see_dashboards")

    @extend_schema(responses=TrustSchoolSerializer(many=True))
    def get(self, request):
        schools = (
            School.objects.filter(trust_id__in=self.get_trust_ids())
            .select_related("rollup_run", "trust")
            .order_by("name")
        )
        sencos: dict[int, list[str]] = {}
        from tenants.models import SchoolMembership
        from tenants.roles import SchoolRole

        for school_id, name in SchoolMembership.objects.filter(
            school__in=schools, role=SchoolRole.SENCO
        ).values_list("school_id", "user__full_name"):
            sencos.setdefault(school_id, []).append(name)
        results = []
        for s in schools:
            run = getattr(s, "rollup_run", None) if hasattr(s, "rollup_run") else None
            results.append(
                {
                    "id": s.pk,
                    "name": s.name,
                    "slug": s.slug,
                    "urn": s.urn,
                    "trust": s.trust.name,
                    "phase": s.phase,
                    "status": s.status,
                    "number_on_roll": s.number_on_roll,
                    "sencos": sencos.get(s.pk, []),
                    "figures_computed_at": run.computed_at.isoformat() if run else None,
                }
            )
        return self.list_response(results, list)


class MetricsAPI(TrustListView):
    trust_roles = RIGHTS.roles("see_dashboards")

    @extend_schema(responses=MetricsSerializer)
    def get(self, request):
        return Response(
            {
                "trusts": [
                    {"id": t.pk, "name": t.name, **selectors.metrics_for_api(t)}
                    for t in self.trusts()
                ]
            }
        )


def _arrangement_json(a: SharedSencoArrangement, checks) -> dict:
    return {
        "id": a.pk,
        "senco": a.senco.full_name,
        "trust": a.trust.name,
        "teaching_hours_per_week": float(a.teaching_hours_per_week),
        "admin_support_hours_per_week": float(a.admin_support_hours_per_week),
        "started_on": a.started_on,
        "next_review_due": a.next_review_due,
        "schools": [
            {"id": t.school_id, "name": t.school.name, "hours_per_week": float(t.hours_per_week)}
            for t in a.school_times.all()
        ],
        "compliant": not any(c.failed for c in checks),
        "checks": [
            {"key": c.key, "title": c.title, "status": c.status, "reason": c.reason} for c in checks
        ],
    }


class SharedSencosAPI(TrustListView):
    trust_roles = RIGHTS.roles("manage_shared_sencos")

    @extend_schema(responses=SharedSencoSerializer(many=True))
    def get(self, request):
        results = [
            _arrangement_json(a, checks)
            for t in self.trusts()
            for a, checks in selectors.arrangements_with_checks(t)
        ]
        return self.list_response(results, list)


class SharedSencoDetailAPI(TrustListView):
    trust_roles = RIGHTS.roles("manage_shared_sencos")

    @extend_schema(responses=SharedSencoSerializer)
    def get(self, request, pk: int):
        a = get_object_or_404(
            SharedSencoArrangement.objects.select_related("senco", "trust"),
            pk=pk,
            trust_id__in=self.get_trust_ids(),
        )
        return Response(_arrangement_json(a, selectors.arrangement_checks(a)))


def _item_json(item: LibraryItem) -> dict:
    usage = selectors.library_usage(item)
    kind = item_types().get(item.item_type)
    return {
        "id": item.pk,
        "type": item.item_type,
        "type_label": kind.label if kind else item.item_type,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "source_school": item.source_school.name,
        "published_at": item.published_at,
        "schools": [
            {"name": r["school"].name, "adopted": r["adopted"], "pupils": r["pupils"]}
            for r in usage["schools"]
        ],
        "pupils": usage["pupils_total"],
    }


class LibraryAPI(TrustListView):
    trust_roles = RIGHTS.roles("see_library")

    @extend_schema(responses=LibraryItemSerializer(many=True))
    def get(self, request):
        results = [_item_json(i) for t in self.trusts() for i in selectors.library_items(t)]
        return self.list_response(results, list)


class LibraryItemAPI(TrustListView):
    trust_roles = RIGHTS.roles("see_library")

    @extend_schema(responses=LibraryItemSerializer)
    def get(self, request, pk: int):
        item = get_object_or_404(
            LibraryItem.objects.filter(
                withdrawn_at__isnull=True, trust_id__in=self.get_trust_ids()
            ).select_related("source_school"),
            pk=pk,
        )
        return Response(_item_json(item))


class TransfersAPI(TrustListView):
    trust_roles = RIGHTS.roles("see_transfers")

    @extend_schema(responses=TransferSerializer(many=True))
    def get(self, request):
        rows = PupilTransfer.objects.filter(trust_id__in=self.get_trust_ids()).select_related(
            "from_school", "to_school"
        )[:500]
        # Schools, dates and counts only: the pupil stays in the schools' schemas.
        results = [
            {
                "id": t.pk,
                "from_school": t.from_school.name,
                "to_school": t.to_school.name,
                "status": t.status,
                "started_at": t.started_at,
                "decided_at": t.decided_at,
                "parts_copied": t.parts_copied,
            }
            for t in rows
        ]
        return self.list_response(results, list)
