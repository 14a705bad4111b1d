"""/api/v1/staff/, /api/v1/training/, /api/v1/access-arrangements/, /api/v1/transitions/
(list, create, read, update). Writes go through the services; lists and reads of pupil-level
rows are audited."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.audit.services import record
from apps.core.api import ServiceWriteViewSet
from apps.core.field_rights import FieldRightsMixin
from apps.family.access import scope_by_pupil
from apps.pupils.access import visible_pupils

from . import services
from .access import ARRANGEMENT_FIELDS, RIGHTS
from .actions import StaffAction
from .models import AccessArrangement, Skill, StaffMember, Training, Transition, TransitionStep
from .rules import deployment_percent, missing_evidence


class StaffSerializer(serializers.ModelSerializer):
    hours_deployed = serializers.SerializerMethodField()
    deployed_percent = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "name",
            "role",
            "contracted_hours",
            "user_id",
            "is_active",
            "hours_deployed",
            "deployed_percent",
            "skills",
        ]
        read_only_fields = fields

    def get_hours_deployed(self, m: StaffMember) -> str:
        return str(sum((d.hours_a_week for d in m.deployments.all()), start=0))

    def get_deployed_percent(self, m: StaffMember) -> int:
        total = sum((d.hours_a_week for d in m.deployments.all()), start=0)
        return int(deployment_percent(total, m.contracted_hours))  # type: ignore[arg-type]

    def get_skills(self, m: StaffMember) -> list[str]:
        return sorted({t.skill for t in m.training.all() if t.skill})


class StaffWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    role = serializers.ChoiceField(choices=StaffMember.Role.choices, required=False)
    contracted_hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    user_id = serializers.IntegerField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class TrainingSerializer(serializers.ModelSerializer):
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = Training
        fields = ["id", "topic", "skill", "delivered_on", "provider", "hours", "attendees"]
        read_only_fields = fields

    def get_attendees(self, t: Training) -> list[int]:
        return [m.pk for m in t.attendees.all()]


class TrainingWriteSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=200, required=False)
    skill = serializers.ChoiceField(choices=Skill.choices, required=False, allow_blank=True)
    delivered_on = serializers.DateField(required=False)
    provider = serializers.CharField(max_length=150, required=False)
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True
    )
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False)


class ArrangementSerializer(FieldRightsMixin, serializers.ModelSerializer):
    field_rights = ARRANGEMENT_FIELDS
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    missing_evidence = serializers.SerializerMethodField()

    class Meta:
        model = AccessArrangement
        fields = [
            "id",
            "pupil",
            "kind",
            "extra_time_percent",
            "assessor",
            "assessed_on",
            "history_of_need",
            "normal_way_of_working",
            "expires_on",
            "is_active",
            "missing_evidence",
        ]
        read_only_fields = fields

    def get_missing_evidence(self, a: AccessArrangement) -> list[str]:
        return missing_evidence(
            kind=a.kind,
            assessor=a.assessor,
            assessed_on=a.assessed_on,
            history_of_need=a.history_of_need,
            normal_way_of_working=a.normal_way_of_working,
        )


class ArrangementWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(required=False, help_text="Required when creating.")
    kind = serializers.ChoiceField(choices=AccessArrangement.Kind.choices, required=False)
    extra_time_percent = serializers.IntegerField(required=False, allow_null=True)
    assessor = serializers.CharField(max_length=150, required=False, allow_blank=True)
    assessed_on = serializers.DateField(required=False, allow_null=True)
    history_of_need = serializers.CharField(required=False, allow_blank=True)
    normal_way_of_working = serializers.CharField(required=False, allow_blank=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = TransitionStep
        fields = ["id", "what", "due_on", "done_on"]
        read_only_fields = fields


class TransitionSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Transition
        fields = [
            "id",
            "pupil",
            "kind",
            "destination",
            "destination_urn",
            "destination_school_id",
            "moves_on",
            "responsible_name",
            "key_information",
            "status",
            "handover_transfer_id",
            "handed_over_on",
            "steps",
        ]
        read_only_fields = fields


class TransitionWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(required=False, help_text="Required when creating.")
    kind = serializers.ChoiceField(choices=Transition.Kind.choices, required=False)
    destination = serializers.CharField(max_length=150, required=False, allow_blank=True)
    destination_urn = serializers.CharField(max_length=6, required=False, allow_blank=True)
    destination_school_id = serializers.IntegerField(required=False, allow_null=True)
    moves_on = serializers.DateField(required=False)
    responsible_name = serializers.CharField(max_length=150, required=False)
    key_information = serializers.CharField(required=False, allow_blank=True)
    steps_done = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of steps now done."
    )


class _Base(ServiceWriteViewSet, mixins.ListModelMixin):
    def _pupil(self, data: dict[str, Any]) -> Any:
        pupil = (
            visible_pupils(self.school_access, self.request.user)
            .filter(pk=data.pop("pupil", None))
            .first()
        )
        if pupil is None:
            raise ValidationError({"pupil": ["No pupil with that id that you can see."]})
        return pupil

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        return Response(self.get_serializer(self.get_row(pk)).data)


class StaffViewSet(_Base):
    """Staff records with hours deployed against contract and trained skills."""

    serializer_class = StaffSerializer
    write_serializer_class = StaffWriteSerializer
    allowed_roles = RIGHTS.roles("see_staff")
    write_roles = RIGHTS.roles("write_staff")

    def get_school_queryset(self) -> Any:
        return StaffMember.objects.prefetch_related("deployments", "training")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset  # the allowed roles see the whole staff list

    def create_with_service(self, data: dict[str, Any]) -> Any:
        return services.staff_add(acting_user=self.request.user, request=self.request, **data)

    def update_with_service(self, member: Any, data: dict[str, Any]) -> Any:
        return services.staff_update(
            acting_user=self.request.user, member=member, request=self.request, **data
        )


class TrainingViewSet(_Base):
    """Training delivered: topic, skill it gives, date, provider, attendees (staff ids)."""

    serializer_class = TrainingSerializer
    write_serializer_class = TrainingWriteSerializer
    allowed_roles = RIGHTS.roles("see_staff")
    write_roles = RIGHTS.roles("write_staff")

    def get_school_queryset(self) -> Any:
        return Training.objects.prefetch_related("attendees")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return queryset

    def create_with_service(self, d: dict[str, Any]) -> Any:
        return services.training_record(
            acting_user=self.request.user,
            request=self.request,
            topic=d.get("topic", ""),
            skill=d.get("skill", ""),
            delivered_on=d.get("delivered_on"),
            provider=d.get("provider", ""),
            hours=d.get("hours"),
            attendee_ids=d.get("attendees", []),
        )

    def update_with_service(self, training: Any, d: dict[str, Any]) -> Any:
        return services.training_update(
            acting_user=self.request.user,
            training=training,
            attendee_ids=d.pop("attendees", None),
            request=self.request,
            **d,
        )


class AccessArrangementViewSet(_Base):
    """Exam access arrangements of pupils the caller may see (?pupil= filters)."""

    serializer_class = ArrangementSerializer
    write_serializer_class = ArrangementWriteSerializer
    allowed_roles = RIGHTS.roles("see_arrangements")
    write_roles = RIGHTS.roles("write_arrangements")

    def get_school_queryset(self) -> Any:
        return AccessArrangement.objects.select_related("pupil")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return scope_by_pupil(queryset, self.school_access, self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.get_queryset()
        pupil = request.query_params.get("pupil")
        if pupil:
            if not pupil.isdigit():
                raise ValidationError({"pupil": ["Give a pupil id (a number)."]})
            qs = qs.filter(pupil_id=int(pupil))
        page = self.paginate_queryset(qs)
        rows = page if page is not None else list(qs)
        record(
            user=request.user,
            action=StaffAction.ARRANGEMENTS_LISTED,
            request=request,
            summary=f"{len(rows)} access arrangements listed through the API",
            extra={"arrangement_ids": [r.pk for r in rows[:50]]},
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        row = self.get_row(pk)
        record(
            user=request.user,
            action=StaffAction.ARRANGEMENT_VIEWED,
            pupil=row.pupil,
            request=request,
            summary="Read an access arrangement through the API",
            extra={"arrangement_id": row.pk},
        )
        return Response(self.get_serializer(row).data)

    def create_with_service(self, d: dict[str, Any]) -> Any:
        pupil = self._pupil(d)
        return services.arrangement_add(
            acting_user=self.request.user, pupil=pupil, request=self.request, **d
        )

    def update_with_service(self, row: Any, d: dict[str, Any]) -> Any:
        d.pop("pupil", None)
        return services.arrangement_update(
            acting_user=self.request.user, arrangement=row, request=self.request, **d
        )


class TransitionViewSet(_Base):
    """Transition plans with their checklist; PATCH steps_done ticks steps off."""

    serializer_class = TransitionSerializer
    write_serializer_class = TransitionWriteSerializer
    allowed_roles = RIGHTS.roles("see_transitions")
    write_roles = RIGHTS.roles("write_transitions")

    def get_school_queryset(self) -> Any:
        return Transition.objects.select_related("pupil").prefetch_related("steps")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return scope_by_pupil(queryset, self.school_access, self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.get_queryset()
        page = self.paginate_queryset(qs)
        rows = page if page is not None else list(qs)
        record(
            user=request.user,
            action=StaffAction.TRANSITIONS_LISTED,
            request=request,
            summary=f"{len(rows)} transitions listed through the API",
            extra={"transition_ids": [r.pk for r in rows[:50]]},
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        row = self.get_row(pk)
        record(
            user=request.user,
            action=StaffAction.TRANSITION_VIEWED,
            pupil=row.pupil,
            request=request,
            summary="Read a transition plan through the API",
            extra={"transition_id": row.pk},
        )
        return Response(self.get_serializer(row).data)

    def create_with_service(self, d: dict[str, Any]) -> Any:
        d.pop("steps_done", None)
        pupil = self._pupil(d)
        return services.transition_plan(
            acting_user=self.request.user, pupil=pupil, request=self.request, **d
        )

    def update_with_service(self, row: Any, d: dict[str, Any]) -> Any:
        d.pop("pupil", None)
        done = d.pop("steps_done", [])
        services.transition_update_with_steps(
            acting_user=self.request.user,
            transition=row,
            steps_done=done,
            request=self.request,
            **d,
        )
        return row
