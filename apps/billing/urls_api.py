"""Billing API on the platform host (included from sencohub.urls_public at
``/api/v1/trust/billing/``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.TrustBillingListView.as_view(), name="api-trust-billing"),
    path(
        "<int:school_id>/",
        api.TrustBillingDetailView.as_view(),
        name="api-trust-billing-school",
    ),
]
