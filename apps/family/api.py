"""/api/v1/contacts/, /api/v1/meetings/, /api/v1/consents/ (list, create, read, update).

Rows are scoped by access.py (the register's rule through the pupil); writes go through the
services, which check the role again. Contacts' phone, email, address and contact notes are left
out of every response for roles that may not see them (teachers, TAs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.agencies.models import Agency
from apps.audit.services import record
from apps.core.api import SchoolViewSet
from apps.core.field_rights import FieldRightsMixin
from apps.pupils.access import visible_pupils

from . import access, services
from .actions import FamilyAction
from .models import AgreedAction, Consent, Contact, Meeting

# -- serializers ------------------------------------------------------------------------------


class ContactSerializer(FieldRightsMixin, serializers.ModelSerializer):
    field_rights = access.CONTACT_FIELDS
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "pupil",
            "name",
            "relationship",
            "parental_responsibility",
            "lives_with_pupil",
            "phone",
            "email",
            "address",
            "preferred_contact",
            "contact_notes",
            "language",
            "needs_interpreter",
            "priority",
        ]
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(required=False, help_text="Required when creating.")
    name = serializers.CharField(max_length=150, required=False)
    relationship = serializers.ChoiceField(choices=Contact.Relationship.choices, required=False)
    parental_responsibility = serializers.BooleanField(required=False)
    lives_with_pupil = serializers.BooleanField(required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    preferred_contact = serializers.ChoiceField(choices=Contact.Preference.choices, required=False)
    contact_notes = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.CharField(max_length=60, required=False, allow_blank=True)
    needs_interpreter = serializers.BooleanField(required=False)
    priority = serializers.IntegerField(min_value=1, max_value=9, required=False)


class AgreedActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreedAction
        fields = ["id", "what", "owner_name", "owner_user_id", "due_on", "done_on", "done_note"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    actions = AgreedActionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "pupil",
            "kind",
            "held_on",
            "status",
            "attendees",
            "parents_views",
            "pupil_views",
            "notes",
            "recorded_by_name",
            "actions",
        ]
        read_only_fields = fields


class ActionWriteSerializer(serializers.Serializer):
    what = serializers.CharField(required=False, allow_blank=True, default="")
    owner_name = serializers.CharField(required=False, allow_blank=True, default="")
    owner_user_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class MeetingWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(required=False, help_text="Required when creating.")
    kind = serializers.CharField(max_length=20, required=False)
    held_on = serializers.DateField(required=False)
    status = serializers.CharField(max_length=10, required=False)
    attendees = serializers.CharField(required=False, allow_blank=True)
    parents_views = serializers.CharField(required=False, allow_blank=True)
    pupil_views = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    actions = ActionWriteSerializer(
        many=True, required=False, help_text="Agreed actions (on create; later: add more)."
    )


class ConsentSerializer(serializers.ModelSerializer):
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True, allow_null=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "pupil",
            "purpose",
            "agency",
            "named_body",
            "decision",
            "given_by_name",
            "decided_on",
            "evidence",
            "expires_on",
            "withdrawn_on",
            "withdrawn_reason",
            "is_current",
        ]
        read_only_fields = fields

    def get_is_current(self, consent: Consent) -> bool:
        return consent.is_current()


class ConsentWriteSerializer(serializers.Serializer):
    pupil = serializers.IntegerField(required=False, help_text="Required when creating.")
    purpose = serializers.CharField(max_length=12, required=False)
    agency = serializers.IntegerField(required=False, allow_null=True)
    named_body = serializers.CharField(max_length=150, required=False, allow_blank=True)
    decision = serializers.CharField(max_length=8, required=False)
    given_by = serializers.IntegerField(required=False, allow_null=True)
    given_by_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    decided_on = serializers.DateField(required=False)
    evidence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    withdrawn_on = serializers.DateField(
        required=False, help_text="Set to withdraw consent (with withdrawn_reason)."
    )
    withdrawn_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


# -- views ------------------------------------------------------------------------------------


class PupilRowsViewSet(SchoolViewSet, mixins.ListModelMixin):
    """Rows about a pupil: scoped through the pupil, filterable by ?pupil=<id>, every list and
    read audited."""

    lookup_value_converter = "int"
    see: str = ""
    listed_action: FamilyAction
    viewed_summary: str = ""
    what: str = ""

    def get_permissions(self) -> Sequence[Any]:
        self.allowed_roles = access.RIGHTS.roles(self.see)
        return super().get_permissions()

    def filter_queryset(self, queryset: Any) -> Any:
        pupil = self.request.query_params.get("pupil")
        if pupil:
            if not pupil.isdigit():
                raise ValidationError({"pupil": ["Give a pupil id (a number)."]})
            queryset = queryset.filter(pupil_id=int(pupil))
        return queryset

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        record(
            user=request.user,
            action=self.listed_action,
            request=request,
            summary=f"{len(rows)} {self.what} listed through the API",
            extra={"ids": [r.pk for r in rows[:50]]},
        )
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def get_object(self) -> Any:
        row = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise NotFound(f"No {self.what.rstrip('s')} with that id that you can see.")
        return row

    def retrieve(self, request: Request, pk: int | None = None) -> Response:
        row = self.get_object()
        record(
            user=request.user,
            action=FamilyAction.CONTACTS_VIEWED,
            pupil=row.pupil,
            request=request,
            summary=self.viewed_summary,
            extra={f"{self.what.rstrip('s')}_id": row.pk},
        )
        return Response(self.get_serializer(row).data)

    def pupil_from(self, data: dict[str, Any]) -> Any:
        pupil_id = data.pop("pupil", None)
        if pupil_id is None:
            raise ValidationError({"pupil": ["Give the pupil's id."]})
        pupil = visible_pupils(self.school_access, self.request.user).filter(pk=pupil_id).first()
        if pupil is None:
            raise ValidationError({"pupil": ["No pupil with that id that you can see."]})
        return pupil


class ContactViewSet(PupilRowsViewSet):
    serializer_class = ContactSerializer
    see = "see_contacts"
    write_roles = access.RIGHTS.roles("write_contacts")
    listed_action = FamilyAction.CONTACTS_LISTED
    viewed_summary = "Read a parent's or carer's record through the API"
    what = "contacts"

    def get_school_queryset(self) -> Any:
        return Contact.objects.all()

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return access.scope_by_pupil(queryset, self.school_access, self.request.user)

    @extend_schema(request=ContactWriteSerializer, responses={201: ContactSerializer})
    def create(self, request: Request) -> Response:
        body = ContactWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pupil = self.pupil_from(data)
        contact = services.contact_add(
            acting_user=request.user, pupil=pupil, request=request, **data
        )
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactWriteSerializer, responses=ContactSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=ContactWriteSerializer, responses=ContactSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        contact = self.get_object()
        body = ContactWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("pupil", None)
        contact = services.contact_update(
            acting_user=request.user, contact=contact, request=request, **data
        )
        return Response(self.get_serializer(contact).data)


class MeetingViewSet(PupilRowsViewSet):
    serializer_class = MeetingSerializer
    see = "see_meetings"
    write_roles = access.RIGHTS.roles("write_meetings")
    listed_action = FamilyAction.MEETINGS_LISTED
    viewed_summary = "Read a meeting with parents through the API"
    what = "meetings"

    def get_school_queryset(self) -> Any:
        return Meeting.objects.prefetch_related("actions")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return access.scope_by_pupil(queryset, self.school_access, self.request.user)

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request) -> Response:
        body = MeetingWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pupil = self.pupil_from(data)
        meeting = services.meeting_record(
            acting_user=request.user,
            pupil=pupil,
            request=request,
            kind=data.get("kind", ""),
            held_on=data.get("held_on"),
            status=data.get("status", Meeting.Status.HELD),
            attendees=data.get("attendees", ""),
            parents_views=data.get("parents_views", ""),
            pupil_views=data.get("pupil_views", ""),
            notes=data.get("notes", ""),
            actions=[dict(a) for a in data.get("actions", [])],
        )
        meeting = self.get_school_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingWriteSerializer, responses=MeetingSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=MeetingWriteSerializer, responses=MeetingSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        meeting = self.get_object()
        body = MeetingWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("pupil", None)
        actions = data.pop("actions", [])
        with transaction.atomic():
            services.meeting_update(
                acting_user=request.user, meeting=meeting, request=request, **data
            )
            for i, action in enumerate(actions):
                try:
                    services.action_add(
                        acting_user=request.user, meeting=meeting, request=request, **dict(action)
                    )
                except DjangoValidationError as exc:
                    raise DjangoValidationError(
                        {f"actions.{i}.{k}": v for k, v in exc.message_dict.items()}
                    ) from exc
        meeting = self.get_school_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(meeting).data)


class ConsentViewSet(PupilRowsViewSet):
    serializer_class = ConsentSerializer
    see = "see_consents"
    write_roles = access.RIGHTS.roles("write_consents")
    listed_action = FamilyAction.CONSENTS_LISTED
    viewed_summary = "Read a consent record through the API"
    what = "consents"

    def get_school_queryset(self) -> Any:
        return Consent.objects.select_related("agency")

    def scope_queryset_for_user(self, queryset: Any) -> Any:
        return access.scope_by_pupil(queryset, self.school_access, self.request.user)

    @extend_schema(request=ConsentWriteSerializer, responses={201: ConsentSerializer})
    def create(self, request: Request) -> Response:
        body = ConsentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pupil = self.pupil_from(data)
        agency = None
        if data.get("agency"):
            agency = Agency.objects.filter(pk=data["agency"]).first()
            if agency is None:
                raise ValidationError({"agency": ["No agency with that id in this school."]})
        given_by = None
        if data.get("given_by"):
            given_by = Contact.objects.filter(pk=data["given_by"], pupil=pupil).first()
            if given_by is None:
                raise ValidationError({"given_by": ["That contact is not one of this pupil's."]})
        consent = services.consent_record(
            acting_user=request.user,
            pupil=pupil,
            request=request,
            purpose=data.get("purpose", ""),
            decision=data.get("decision", ""),
            given_by_name=data.get("given_by_name", ""),
            decided_on=data.get("decided_on"),
            evidence=data.get("evidence", ""),
            agency=agency,
            named_body=data.get("named_body", ""),
            given_by=given_by,
            expires_on=data.get("expires_on"),
        )
        return Response(self.get_serializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsentWriteSerializer, responses=ConsentSerializer)
    def update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request)

    @extend_schema(request=ConsentWriteSerializer, responses=ConsentSerializer)
    def partial_update(self, request: Request, pk: int | None = None) -> Response:
        return self._update(request)

    def _update(self, request: Request) -> Response:
        """A consent record is evidence: once recorded, the only change is its withdrawal."""
        consent = self.get_object()
        body = ConsentWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        other = set(data) - {"withdrawn_on", "withdrawn_reason", "pupil"}
        if other:
            raise ValidationError(
                {
                    sorted(other)[0]: [
                        "A consent record cannot be changed, only withdrawn: record a new "
                        "decision instead."
                    ]
                }
            )
        if "withdrawn_on" not in data:
            raise ValidationError({"withdrawn_on": ["Give the date consent was withdrawn."]})
        services.consent_withdraw(
            acting_user=request.user,
            consent=consent,
            withdrawn_on=data["withdrawn_on"],
            reason=data.get("withdrawn_reason", ""),
            request=request,
        )
        consent.refresh_from_db()
        return Response(self.get_serializer(consent).data)
