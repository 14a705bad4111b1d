"""The shapes the trust API answers (platform host), for its OpenAPI schema. The views build
these rows from the selectors; the serializers say what a client gets, so schemathesis can check
every response against them. Aggregates only: no pupil appears in any of them."""

from __future__ import annotations

from rest_framework import serializers


class TrustSchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    urn = serializers.CharField()
    trust = serializers.CharField(help_text="The trust's name.")
    phase = serializers.CharField()
    status = serializers.CharField(help_text="active, suspended or archived")
    number_on_roll = serializers.IntegerField()
    sencos = serializers.ListField(child=serializers.CharField(), help_text="SENCos' names.")
    figures_computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the trust's figures for the school were last computed."
    )


class FigureSerializer(serializers.Serializer):
    metric = serializers.CharField()
    category = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True, help_text="null when suppressed (fewer than 5) or not known"
    )
    display = serializers.CharField(help_text="The value as the console shows it.")
    suppressed = serializers.BooleanField()


class MetricsSchoolRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class MetricsSchoolSerializer(serializers.Serializer):
    school = MetricsSchoolRefSerializer()
    computed_at = serializers.DateTimeField(allow_null=True)
    refresh_status = serializers.CharField(help_text="ok, failed or never")
    figures = FigureSerializer(many=True)


class MetricSpecSerializer(serializers.Serializer):
    key = serializers.CharField()
    # The JSON key is "label"; DRF takes declared fields off the class, so Field.label is untouched.
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField(help_text="count, percent, days or money")
    group = serializers.CharField()


class TrustMetricsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    schools = MetricsSchoolSerializer(many=True)
    trust_totals = FigureSerializer(many=True)
    metrics = MetricSpecSerializer(many=True)


class MetricsSerializer(serializers.Serializer):
    trusts = TrustMetricsSerializer(many=True)


class SchoolTimeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    hours_per_week = serializers.FloatField()


class ArrangementCheckSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="pass, warning or fail")
    reason = serializers.CharField()


class SharedSencoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    senco = serializers.CharField(help_text="The SENCo's name.")
    trust = serializers.CharField()
    teaching_hours_per_week = serializers.FloatField()
    admin_support_hours_per_week = serializers.FloatField()
    started_on = serializers.DateField()
    next_review_due = serializers.DateField()
    schools = SchoolTimeSerializer(many=True)
    compliant = serializers.BooleanField()
    checks = ArrangementCheckSerializer(many=True)


class LibraryUsageSerializer(serializers.Serializer):
    name = serializers.CharField()
    adopted = serializers.BooleanField()
    pupils = serializers.CharField(
        help_text='A count, "fewer than 5", or why there is none ("not counted yet").'
    )


class LibraryItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True)
    source_school = serializers.CharField()
    published_at = serializers.DateTimeField()
    schools = LibraryUsageSerializer(many=True)
    pupils = serializers.CharField(help_text="Pupils across the schools, suppressed as above.")


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_school = serializers.CharField()
    to_school = serializers.CharField()
    status = serializers.CharField(help_text="pending, accepted, declined or cancelled")
    started_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    parts_copied = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Counts only, e.g. {"pupils": 1, "documents": 2}.',
    )
