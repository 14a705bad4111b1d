"""Billing pages and the Stripe webhook on the platform host (included from
sencohub.urls_public); the API is in urls_api.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("billing/", views.overview, name="billing-overview"),
    path("billing/schools/<int:school_id>/", views.school_detail, name="billing-school"),
    path("billing/schools/<int:school_id>/contact/", views.contact_update, name="billing-contact"),
    path(
        "billing/schools/<int:school_id>/checkout/", views.checkout_start, name="billing-checkout"
    ),
    path(
        "billing/schools/<int:school_id>/invoice-subscription/",
        views.invoice_subscription_start,
        name="billing-invoice-subscription",
    ),
    path("billing/schools/<int:school_id>/portal/", views.portal_open, name="billing-portal"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="billing-stripe-webhook"),
]
