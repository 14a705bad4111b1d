from django.urls import path

from . import views

urlpatterns = [
    path("accounts/two-step/", views.two_step, name="two-step"),
    path("accounts/two-step/set-up/", views.set_up, name="two-step-set-up"),
    path("accounts/two-step/recovery-used/", views.recovery_used, name="two-step-recovery-used"),
    path("security/", views.account_security, name="account-security"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("security/trust/", views.trust_policy, name="trust-security-policy"),
    path(
        "security/trust/addresses/lift/",
        views.trust_address_lift,
        name="trust-security-address-lift",
    ),
    path(
        "security/trust/people/<int:user_id>/<slug:action>/",
        views.trust_person_action,
        name="trust-security-person",
    ),
]
