"""/api/v1/interventions/, /api/v1/intervention-groups/ (+ {id}/sessions/),
/api/v1/provision-map/ (?pupil=) and /api/v1/provision-map/impact/.

Same rules as the pages: the SENCo keeps the catalogue and groups; teachers and TAs see and log
sessions for the groups they run; the headteacher and trust SEND lead read; office and governors
read the catalogue and impact figures only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.acting import record_reads
from apps.core.api import SchoolAPIView, SchoolViewSet, keyed_by_id
from apps.pupils.access import visible_pupils

from . import selectors, services
from .access import RIGHTS, visible_groups
from .actions import ProvisionAction
from .models import Intervention, InterventionGroup, InterventionSession

# -- serializers ---------------------------------------------------------------------------


class InterventionSerializer(serializers.ModelSerializer):
    cost_per_pupil = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = [
            "id",
            "name",
            "area_of_need",
            "description",
            "evidence_base",
            "group_size",
            "sessions_per_week",
            "session_minutes",
            "staff_role",
            "hourly_staff_cost",
            "resource_cost",
            "required_training",
            "is_active",
            "cost_per_pupil",
        ]
        read_only_fields = ["id", "cost_per_pupil"]

    def get_cost_per_pupil(self, intervention: Intervention) -> Decimal:
        return selectors.place_cost(intervention)


class InterventionWriteSerializer(serializers.Serializer):
    """Types only: the rules (negative costs, sizes) are the service's."""

    name = serializers.CharField(max_length=120)
    area_of_need = serializers.CharField(max_length=32)
    description = serializers.CharField(required=False, allow_blank=True)
    evidence_base = serializers.CharField(required=False, allow_blank=True)
    group_size = serializers.IntegerField(required=False)
    sessions_per_week = serializers.IntegerField(required=False)
    session_minutes = serializers.IntegerField(required=False)
    staff_role = serializers.CharField(required=False, max_length=60)
    hourly_staff_cost = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    resource_cost = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    required_training = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_active = serializers.BooleanField(required=False)


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pupil = serializers.IntegerField(source="pupil_id")
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)
    completed = serializers.BooleanField()
    entry_value = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    exit_value = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


class GroupSerializer(serializers.ModelSerializer):
    intervention = serializers.IntegerField(source="intervention_id")
    places = PlaceSerializer(many=True, read_only=True)
    required_training = serializers.CharField(
        source="intervention.required_training", read_only=True
    )

    class Meta:
        model = InterventionGroup
        fields = [
            "id",
            "intervention",
            "name",
            "staff_user_ids",
            "required_training",
            "starts_on",
            "ends_on",
            "measure",
            "places",
        ]
        read_only_fields = fields


class GroupWriteSerializer(serializers.Serializer):
    intervention = serializers.IntegerField()
    name = serializers.CharField(max_length=120)
    staff_user_ids = serializers.ListField(child=serializers.IntegerField())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    measure = serializers.CharField(required=False, allow_blank=True, default="")
    pupils = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    entry_values = serializers.DictField(
        child=serializers.DecimalField(max_digits=8, decimal_places=2),
        required=False,
        default=dict,
        help_text="Pupil id -> entry measure.",
    )


class SessionSerializer(serializers.ModelSerializer):
    group = serializers.IntegerField(source="group_id", read_only=True)
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = InterventionSession
        fields = [
            "id",
            "group",
            "held_on",
            "starts_at",
            "minutes",
            "run_by_user_id",
            "run_by_name",
            "notes",
            "attendance",
        ]
        read_only_fields = fields

    def get_attendance(self, session: InterventionSession) -> dict[str, bool]:
        return {str(a.pupil_id): a.present for a in session.attendance.all()}


class SessionWriteSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    starts_at = serializers.TimeField()
    minutes = serializers.IntegerField(required=False, allow_null=True, default=None)
    attendance = serializers.DictField(
        child=serializers.BooleanField(), help_text="Pupil id -> present."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    run_by_user_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class MapPlaceSerializer(serializers.Serializer):
    group = serializers.IntegerField(source="group_id")
    intervention = serializers.IntegerField(source="group.intervention_id")
    intervention_name = serializers.CharField(source="group.intervention.name")
    area_of_need = serializers.CharField(source="group.intervention.area_of_need")
    annual_cost = serializers.DecimalField(max_digits=10, decimal_places=2)


class MapRowSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(source="pupil.pk")
    year_group = serializers.CharField(source="pupil.year_group")
    annual_cost = serializers.DecimalField(max_digits=10, decimal_places=2)
    over_threshold = serializers.BooleanField()
    provision = MapPlaceSerializer(source="places", many=True)


class ProvisionMapSerializer(serializers.Serializer):
    threshold = serializers.DecimalField(max_digits=11, decimal_places=2)
    notional_sen_budget = serializers.DecimalField(max_digits=11, decimal_places=2, allow_null=True)
    total_cost = serializers.DecimalField(max_digits=11, decimal_places=2)
    pupils = MapRowSerializer(source="rows", many=True)


class ImpactSerializer(serializers.Serializer):
    intervention = serializers.IntegerField(source="intervention.pk")
    name = serializers.CharField(source="intervention.name")
    area_of_need = serializers.CharField(source="intervention.area_of_need")
    pupils_finished = serializers.IntegerField(source="impact.finished")
    pupils_now = serializers.IntegerField()
    average_change = serializers.DecimalField(
        max_digits=10, decimal_places=2, source="impact.average_change", allow_null=True
    )
    outcomes_linked = serializers.IntegerField(source="impact.outcomes_linked")
    outcomes_met = serializers.IntegerField(source="impact.outcomes_met")
    share_of_outcomes_met = serializers.DecimalField(
        max_digits=5, decimal_places=1, source="impact.share_met", allow_null=True
    )
    cost_per_pupil = serializers.DecimalField(
        max_digits=10, decimal_places=2, source="impact.cost_per_pupil"
    )
    cost_per_unit_of_progress = serializers.DecimalField(
        max_digits=10, decimal_places=2, source="impact.cost_per_unit_progress", allow_null=True
    )


# -- views ---------------------------------------------------------------------------------


class InterventionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SchoolViewSet):
    """The school's catalogue of interventions (not pupil data: every staff role reads it)."""

    serializer_class = InterventionSerializer
    allowed_roles = RIGHTS.roles("see_catalogue")
    write_roles = RIGHTS.roles("manage_catalogue")
    lookup_value_converter = "int"

    def get_school_queryset(self) -> Any:
        return Intervention.objects.all().order_by("name", "id")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset  # catalogue content, the same for every role that reads it

    @extend_schema(request=InterventionWriteSerializer, responses={201: InterventionSerializer})
    def create(self, request: Request) -> Response:
        body = InterventionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = services.intervention_save(
            acting_user=request.user, fields=body.validated_data, request=request
        )
        return Response(InterventionSerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InterventionWriteSerializer, responses=InterventionSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        found = self.get_queryset().filter(pk=pk).first()
        if found is None:
            raise NotFound("No intervention with that id.")
        body = InterventionWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        saved = services.intervention_save(
            acting_user=request.user,
            fields=body.validated_data,
            intervention_id=found.pk,
            request=request,
        )
        return Response(InterventionSerializer(saved).data)


class InterventionGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SchoolViewSet):
    """Intervention groups: all of them for the SENCo and headteacher, the ones they run for
    teachers and TAs. Sessions: GET and POST /intervention-groups/{id}/sessions/."""

    serializer_class = GroupSerializer
    allowed_roles = RIGHTS.roles("see_groups")
    write_roles = RIGHTS.roles("manage_groups")
    lookup_value_converter = "int"

    def get_school_queryset(self) -> Any:
        return (
            InterventionGroup.objects.select_related("intervention")
            .prefetch_related("places")
            .order_by("id")
        )

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset.filter(
            pk__in=visible_groups(self.school_access, self.request.user).values("pk")
        )

    def _group(self) -> InterventionGroup:
        group: InterventionGroup | None = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if group is None:
            raise NotFound("No intervention group with that id that you can see.")
        return group

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.get_queryset()
        page = self.paginate_queryset(qs)
        rows = page if page is not None else list(qs)
        record_reads(
            user=request.user,
            action=ProvisionAction.GROUPS_LISTED,
            pupil_ids=sorted({p.pupil_id for g in rows for p in g.places.all()}),
            summary="In an intervention group listed through the API",
            request=request,
        )
        data = GroupSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        group = self._group()
        record_reads(
            user=request.user,
            action=ProvisionAction.GROUP_VIEWED,
            pupil_ids=[p.pupil_id for p in group.places.all()],
            summary=f"Read intervention group {group.pk} through the API",
            request=request,
        )
        return Response(GroupSerializer(group).data)

    @extend_schema(request=GroupWriteSerializer, responses={201: GroupSerializer})
    def create(self, request: Request) -> Response:
        body = GroupWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        group = services.group_save(
            acting_user=request.user,
            intervention_id=d["intervention"],
            name=d["name"],
            staff_user_ids=d["staff_user_ids"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            measure=d["measure"],
            pupil_ids=d["pupils"],
            entry_values=d["entry_values"],
            request=request,
        )
        group = self.get_school_queryset().get(pk=group.pk)
        return Response(GroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=SessionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=SessionWriteSerializer, responses={201: SessionSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="sessions",
        # Logging a session is for whoever runs the group (checked by the service), not only
        # the SENCo who manages groups.
        write_roles=RIGHTS.roles("log_session"),
    )
    def sessions(self, request: Request, pk: int | None = None) -> Response:
        group = self._group()
        if request.method == "GET":
            rows = group.sessions.prefetch_related("attendance").order_by(
                "-held_on", "-starts_at", "-id"
            )
            return self.list_response(rows, lambda page: SessionSerializer(page, many=True).data)
        body = SessionWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        attendance = keyed_by_id(
            d["attendance"], field="attendance", message="Attendance is keyed by pupil id."
        )
        session = services.session_log(
            acting_user=request.user,
            group_id=group.pk,
            held_on=d["held_on"],
            starts_at=d["starts_at"],
            minutes=d["minutes"],
            attendance=attendance,
            notes=d["notes"],
            run_by_user_id=d["run_by_user_id"],
            request=request,
        )
        session = InterventionSession.objects.prefetch_related("attendance").get(pk=session.pk)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class ProvisionMapView(SchoolAPIView):
    """Per-pupil provision and annual cost (SENCo, headteacher, trust SEND lead). ``?pupil=`` for
    one pupil."""

    allowed_roles = RIGHTS.roles("see_map")

    def get_school_queryset(self) -> Any:
        return visible_pupils(self.school_access, self.request.user)

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset

    @extend_schema(
        parameters=[OpenApiParameter("pupil", int, description="Only this pupil.")],
        responses=ProvisionMapSerializer,
    )
    def get(self, request: Request) -> Response:
        if not RIGHTS.can(self.school_access, "see_map"):
            raise PermissionDenied("Your role cannot see this.")
        pupils = self.get_queryset()
        raw = request.query_params.get("pupil") or ""
        if raw:
            try:
                pupils = pupils.filter(pk=int(raw))
            except ValueError:
                raise serializers.ValidationError({"pupil": ["Give a pupil id."]}) from None
        result = selectors.provision_map(pupils)
        record_reads(
            user=request.user,
            action=ProvisionAction.MAP_VIEWED,
            pupil_ids=[r.pupil.pk for r in result.rows],
            summary="In the provision map read through the API",
            request=request,
        )
        return Response(
            {
                "threshold": str(result.threshold),
                "notional_sen_budget": (
                    None if result.notional_sen_budget is None else str(result.notional_sen_budget)
                ),
                "total_cost": str(result.total_cost),
                "pupils": [
                    {
                        "pupil": row.pupil.pk,
                        "year_group": row.pupil.year_group,
                        "annual_cost": str(row.annual_cost),
                        "over_threshold": row.over_threshold,
                        "provision": [
                            {
                                "group": place.group_id,
                                "intervention": place.group.intervention_id,
                                "intervention_name": place.group.intervention.name,
                                "area_of_need": place.group.intervention.area_of_need,
                                "annual_cost": str(place.annual_cost),  # type: ignore[attr-defined]
                            }
                            for place in row.places
                        ],
                    }
                    for row in result.rows
                ],
            }
        )


class ImpactView(SchoolAPIView):
    """Impact of each intervention: figures only, no pupils."""

    allowed_roles = RIGHTS.roles("see_figures")

    def get_school_queryset(self) -> Any:
        return Intervention.objects.all()

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset

    @extend_schema(responses=ImpactSerializer(many=True))
    def get(self, request: Request) -> Response:
        ids = list(self.get_queryset().values_list("pk", flat=True))
        return self.list_response(
            selectors.impact(ids), lambda page: ImpactSerializer(page, many=True).data
        )
