"""/api/v1/pupils/ and /api/v1/concerns/. Built on SchoolViewSet, which forces every queryset
through scope_queryset_for_user(); here that is access.scope_pupils, the same rule the pages use.
Writes go through services (which check the role again); errors are precise 4xx JSON."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from apps.audit.services import record
from apps.core.api import SchoolViewSet
from apps.core.field_rights import FieldRightsMixin
from apps.core.permissions import IsAuthenticatedForThisHost, IsSchoolMember
from tenants.gates import reads_only

from . import selectors, services
from .access import PUPIL_ROLES, SEN_HISTORY_FIELDS, SEND_DETAIL_ROLES, can, scope_pupils
from .actions import PupilAction
from .codes import YEAR_GROUPS
from .models import Concern, Pupil, PupilProfile, SenHistory

# -- serializers ------------------------------------------------------------------------------


def _need_field() -> serializers.ChoiceField:
    # Declared, not generated: a generated read-only field loses allow_blank, and the schema
    # would then say "" (no need recorded) is not a valid answer.
    from .codes import NEED_CHOICES

    return serializers.ChoiceField(choices=NEED_CHOICES, allow_blank=True, read_only=True)


class PupilSerializer(serializers.ModelSerializer):
    broad_areas = serializers.ListField(child=serializers.CharField(), read_only=True)
    primary_need = _need_field()
    secondary_need = _need_field()

    class Meta:
        model = Pupil
        fields = [
            "id",
            "upn",
            "first_name",
            "last_name",
            "preferred_first_name",
            "preferred_last_name",
            "date_of_birth",
            "gender",
            "year_group",
            "form",
            "admission_date",
            "leaving_date",
            "eal",
            "pupil_premium",
            "free_school_meals",
            "looked_after",
            "designated_teacher_user_id",
            "medical_needs",
            "sen_provision",
            "primary_need",
            "secondary_need",
            "sen_identified_on",
            "sen_lead_user_id",
            "broad_areas",
        ]
        read_only_fields = fields


class PupilWriteSerializer(serializers.Serializer):
    """Parses types only; the rules (UPN, codes, dates, duplicates) are the services'."""

    upn = serializers.CharField(max_length=20)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    preferred_first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    preferred_last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField()
    gender = serializers.CharField(max_length=1)
    year_group = serializers.CharField(max_length=2)
    form = serializers.CharField(max_length=20, required=False, allow_blank=True)
    admission_date = serializers.DateField(required=False, allow_null=True)
    leaving_date = serializers.DateField(required=False, allow_null=True)
    eal = serializers.BooleanField(required=False)
    pupil_premium = serializers.BooleanField(required=False)
    free_school_meals = serializers.BooleanField(required=False)
    looked_after = serializers.BooleanField(required=False)
    designated_teacher_user_id = serializers.IntegerField(required=False, allow_null=True)
    medical_needs = serializers.CharField(required=False, allow_blank=True)
    sen_provision = serializers.CharField(max_length=1, required=False)
    primary_need = serializers.CharField(max_length=8, required=False, allow_blank=True)
    secondary_need = serializers.CharField(max_length=8, required=False, allow_blank=True)
    sen_identified_on = serializers.DateField(required=False, allow_null=True)
    sen_lead_user_id = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why the register entry changes (kept in the history).",
    )
    effective_date = serializers.DateField(
        required=False, help_text="Date the register change takes effect (default today)."
    )


class SenHistorySerializer(FieldRightsMixin, serializers.ModelSerializer):
    """The reason for a change is for readers of the SEND detail only (access.py)."""

    field_rights = SEN_HISTORY_FIELDS
    primary_need = _need_field()
    secondary_need = _need_field()

    class Meta:
        model = SenHistory
        fields = [
            "id",
            "effective_date",
            "provision",
            "primary_need",
            "secondary_need",
            "reason",
            "source",
            "changed_by_user_id",
            "changed_by_name",
            "recorded_at",
        ]
        read_only_fields = fields


class RegisterChangeSerializer(serializers.Serializer):
    sen_provision = serializers.CharField(max_length=1)
    primary_need = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    secondary_need = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = PupilProfile
        fields = [
            "like_and_admire",
            "important_to_me",
            "how_to_support",
            "communication_preferences",
            "updated_at",
            "updated_by_name",
        ]
        read_only_fields = ["updated_at", "updated_by_name"]


class ConcernSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id")
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Concern
        fields = [
            "id",
            "pupil",
            "what_seen",
            "what_tried",
            "status",
            "raised_by_user_id",
            "raised_by_name",
            "raised_at",
            "notes",
        ]
        read_only_fields = fields

    def get_notes(self, concern) -> list[dict]:
        return [
            {
                "written_on": n.written_on.isoformat(),
                "decision": n.decision,
                "note": n.note,
                "written_by_name": n.written_by_name,
            }
            for n in concern.notes.all()
        ]


class ConcernCreateSerializer(serializers.Serializer):
    pupil = serializers.IntegerField()
    what_seen = serializers.CharField()
    what_tried = serializers.CharField(required=False, allow_blank=True, default="")


class TriageSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(s.value, s.label) for s in Concern.DECISIONS])
    note = serializers.CharField()


class SearchSerializer(serializers.Serializer):
    search = serializers.CharField(
        max_length=100, help_text="Name or UPN (sent in the body, never in the URL)."
    )


# -- views ------------------------------------------------------------------------------------


class PupilScopedViewSet(SchoolViewSet):
    """Base for endpoints whose rows are pupils: scoped by access.scope_pupils."""

    lookup_value_converter = "int"
    audit_resource = "pupil records"
    audit_pupil_field = "id"  # a list's rows are pupils
    audit_pupil_url_kwarg = "pk"  # /pupils/<pk>/... is one pupil's

    def scope_queryset_for_user(self, queryset):
        return scope_pupils(queryset, self.school_access, self.request.user)

    def get_pupil(self) -> Pupil:
        pupil = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if pupil is None:
            raise NotFound("No pupil with that id that you can see.")
        return pupil


def _register_filter_params(request) -> dict:
    data = request.query_params.copy()
    data.pop("search", None)  # names and UPNs are searched by POST only
    return data


class PupilViewSet(PupilScopedViewSet, mixins.ListModelMixin):
    """Pupils with their register entry. List filters (query string): provision (register, K, E,
    N, all — default all), need, area, year_group, group, flags. Search by name or UPN: POST
    /api/v1/pupils/search/."""

    serializer_class = PupilSerializer
    allowed_roles = PUPIL_ROLES
    write_roles = frozenset({"senco", "office"})
    # Profile edits are for teachers too; the services check each write's role again.
    write_roles_by_action = {"profile": SEND_DETAIL_ROLES, "sen_history": PUPIL_ROLES}
    field_rights_by_action = {"sen_history": SEN_HISTORY_FIELDS}

    def get_school_queryset(self):
        return Pupil.objects.all()

    def _filtered(self, data):
        params = dict(data.items()) if hasattr(data, "items") else dict(data)
        if hasattr(data, "getlist"):
            params["flags"] = data.getlist("flags")
        params.setdefault("provision", "all")
        filters = selectors.RegisterFilters.from_data(params)
        if "provision" in params and params["provision"] not in selectors.PROVISION_FILTERS:
            raise serializers.ValidationError(
                {"provision": [f"Use one of: {', '.join(selectors.PROVISION_FILTERS)}."]}
            )
        if filters.year_group and filters.year_group not in YEAR_GROUPS:
            raise serializers.ValidationError({"year_group": ["Use N1, N2, R or 1 to 13."]})
        return filters, selectors.register_queryset(
            self.school_access, self.request.user, filters, queryset=self.get_queryset()
        )

    def _list(self, filters, queryset):
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        record(
            user=self.request.user,
            action=PupilAction.LISTED_BY_API,
            request=self.request,
            summary=f"{len(rows)} pupils listed through the API"
            + (" (search by name or UPN)" if filters.search else ""),
            extra={
                "pupil_ids": [p.pk for p in rows[:50]],
                "provision": filters.provision,
                "need": filters.need,
            },
        )
        data = PupilSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def list(self, request, *args, **kwargs):
        filters, qs = self._filtered(_register_filter_params(request))
        return self._list(filters, qs)

    @extend_schema(request=SearchSerializer, responses=PupilSerializer(many=True))
    @reads_only
    @action(detail=False, methods=["post"], url_path="search")
    def search(self, request):
        """Search by name or UPN. A POST, so the term never lands in a URL or a server log."""
        body = SearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        params = {
            **_register_filter_params(request).dict(),
            **{k: v for k, v in request.data.items() if k != "search"},
            "search": body.validated_data["search"],
        }
        filters, qs = self._filtered(params)
        return self._list(filters, qs)

    @extend_schema(request=PupilWriteSerializer, responses={201: PupilSerializer})
    def create(self, request):
        body = PupilWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("effective_date", None)
        pupil = services.pupil_create(acting_user=request.user, request=request, **data)
        return Response(PupilSerializer(pupil).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        pupil = self.get_pupil()
        record(
            user=request.user,
            action=PupilAction.VIEWED,
            pupil=pupil,
            summary="Read the pupil's record through the API",
            request=request,
        )
        return Response(PupilSerializer(pupil).data)

    @extend_schema(request=PupilWriteSerializer, responses=PupilSerializer)
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    @extend_schema(request=PupilWriteSerializer, responses=PupilSerializer)
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    def _update(self, request, *, partial: bool):
        pupil = self.get_pupil()
        body = PupilWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        register_keys = {
            "sen_provision",
            "primary_need",
            "secondary_need",
            "sen_identified_on",
            "sen_lead_user_id",
            "reason",
            "effective_date",
        }
        register = {k: data.pop(k) for k in list(data) if k in register_keys}
        pupil = services.pupil_change(
            acting_user=request.user, pupil=pupil, details=data, register=register, request=request
        )
        return Response(PupilSerializer(pupil).data)

    @extend_schema(methods=["GET"], responses=SenHistorySerializer(many=True))
    @extend_schema(
        methods=["POST"], request=RegisterChangeSerializer, responses={201: SenHistorySerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="sen-history")
    def sen_history(self, request, pk=None):
        """The dated history of the register entry; POST records a change (SENCo)."""
        pupil = self.get_pupil()
        if request.method == "POST":
            body = RegisterChangeSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            entry = services.register_set_status(
                acting_user=request.user,
                pupil=pupil,
                request=request,
                provision=d["sen_provision"],
                primary_need=d["primary_need"],
                secondary_need=d["secondary_need"],
                reason=d["reason"],
                effective_date=d["effective_date"],
            )
            if entry is None:
                return Response(
                    {"detail": "The register entry already says this; nothing was recorded."},
                    status=status.HTTP_200_OK,
                )
            return Response(
                SenHistorySerializer(entry, context={"request": request}).data,
                status=status.HTTP_201_CREATED,
            )
        record(
            user=request.user,
            action=PupilAction.VIEWED,
            pupil=pupil,
            summary="Read the register history through the API",
            request=request,
        )
        return self.list_response(
            pupil.sen_history.all(),
            lambda page: SenHistorySerializer(page, many=True, context={"request": request}).data,
        )

    @extend_schema(methods=["GET"], responses=ProfileSerializer)
    @extend_schema(methods=["PUT", "PATCH"], request=ProfileSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["get", "put", "patch"], url_path="profile")
    def profile(self, request, pk=None):
        """The one-page profile and communication preferences (not for office staff)."""
        if not can(self.school_access, "see_send_detail"):
            raise PermissionDenied("Your role cannot see pupils' profiles.")
        pupil = self.get_pupil()
        if request.method in ("PUT", "PATCH"):
            body = ProfileSerializer(data=request.data, partial=request.method == "PATCH")
            body.is_valid(raise_exception=True)
            profile = services.profile_update(
                acting_user=request.user, pupil=pupil, request=request, **body.validated_data
            )
            return Response(ProfileSerializer(profile).data)
        record(
            user=request.user,
            action=PupilAction.VIEWED,
            pupil=pupil,
            summary="Read the one-page profile through the API",
            request=request,
        )
        profile = PupilProfile.objects.filter(pupil=pupil).first() or PupilProfile(pupil=pupil)
        return Response(ProfileSerializer(profile).data)

    def get_permissions(self):
        if self.action == "search":
            # A POST only so the term stays out of URLs: a read, open to every reader.
            return [IsAuthenticatedForThisHost(), SearchByPost()]
        return super().get_permissions()


class SearchByPost(IsSchoolMember):
    def has_permission(self, request, view) -> bool:
        access = getattr(request._request, "school_access", None)
        if getattr(request._request, "school", None) is None or access is None:
            return False
        if not can(access, "see_pupils"):
            self.message = "Your role cannot see this."
            return False
        return True


class ConcernViewSet(SchoolViewSet, mixins.ListModelMixin):
    """Concerns about pupils the caller may see. Filter: ?status=open|closed|<status>."""

    serializer_class = ConcernSerializer
    lookup_value_converter = "int"
    allowed_roles = SEND_DETAIL_ROLES
    write_roles = frozenset({"senco", "headteacher", "teacher", "teaching_assistant"})

    def get_school_queryset(self):
        return Concern.objects.select_related("pupil").prefetch_related("notes")

    def scope_queryset_for_user(self, queryset):
        if can(self.school_access, "see_all_concerns"):
            return queryset
        visible = scope_pupils(Pupil.objects.all(), self.school_access, self.request.user)
        return queryset.filter(pupil__in=visible)

    def get_queryset(self):
        qs = super().get_queryset().order_by("-raised_at", "-id")
        wanted = self.request.query_params.get("status")
        if wanted == "open":
            qs = qs.filter(status__in=Concern.OPEN_STATUSES)
        elif wanted == "closed":
            qs = qs.exclude(status__in=Concern.OPEN_STATUSES)
        elif wanted:
            if wanted not in Concern.Status.values:
                raise serializers.ValidationError(
                    {"status": [f"Use open, closed or one of: {', '.join(Concern.Status.values)}."]}
                )
            qs = qs.filter(status=wanted)
        return qs

    def retrieve(self, request, pk=None):
        concern = self.get_queryset().filter(pk=pk).first()
        if concern is None:
            raise NotFound("No concern with that id that you can see.")
        record(
            user=request.user,
            action=PupilAction.CONCERN_VIEWED,
            pupil=concern.pupil,
            summary="Read a concern through the API",
            request=request,
            extra={"concern_id": concern.pk},
        )
        return Response(ConcernSerializer(concern).data)

    @extend_schema(request=ConcernCreateSerializer, responses={201: ConcernSerializer})
    def create(self, request):
        body = ConcernCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Staff may raise a concern about any pupil on roll, taught or not (the SENCo triages).
        pupil = Pupil.objects.on_roll().filter(pk=body.validated_data["pupil"]).first()
        if pupil is None:
            raise serializers.ValidationError({"pupil": ["No pupil on roll with that id."]})
        concern = services.concern_raise(
            acting_user=request.user,
            pupil=pupil,
            request=request,
            what_seen=body.validated_data["what_seen"],
            what_tried=body.validated_data["what_tried"],
        )
        return Response(ConcernSerializer(concern).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TriageSerializer, responses=ConcernSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        concern = self.get_queryset().filter(pk=pk).first()
        if concern is None:
            raise NotFound("No concern with that id that you can see.")
        body = TriageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.concern_triage(
            acting_user=request.user, concern=concern, request=request, **body.validated_data
        )
        concern = self.get_queryset().get(pk=concern.pk)
        return Response(ConcernSerializer(concern).data)
