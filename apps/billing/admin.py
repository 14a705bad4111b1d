from django.contrib import admin

from .models import BillingAccount, Invoice, StripeEvent


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = (
        "school",
        "status",
        "trial_ends_at",
        "current_period_end",
        "stripe_customer_id",
        "last_error_at",
    )
    list_filter = ("status", "collection_method")
    search_fields = ("school__name", "school__urn", "stripe_customer_id", "stripe_subscription_id")
    readonly_fields = (
        "stripe_customer_id",
        "stripe_subscription_id",
        "synced_at",
        "last_error",
        "last_error_at",
        "created_at",
    )

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is ever deleted because of billing


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    """Events flagged `needs_attention` (unknown customer, repeated failure) are for the operator."""

    list_display = (
        "event_id",
        "type",
        "outcome",
        "needs_attention",
        "account",
        "received_at",
        "deliveries",
    )
    list_filter = ("needs_attention", "outcome", "type")
    search_fields = ("event_id",)
    readonly_fields = [f.name for f in StripeEvent._meta.fields if f.name != "needs_attention"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("number", "account", "status", "amount_due", "amount_paid", "created")
    list_filter = ("status",)
