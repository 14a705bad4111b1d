"""Routes every host has: signing in and out, password reset, hopping between schools, the API
base. Included by both URLconfs."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.security import views as security_views
from tenants import views as tenant_views

urlpatterns = [
    path("accounts/sign-in/", tenant_views.SignInView.as_view(), name="sign-in"),
    path("accounts/sign-out/", tenant_views.SignOutView.as_view(), name="sign-out"),
    path(
        "accounts/password-reset/",
        tenant_views.PasswordResetRequestView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        security_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("auth/hop/<str:token>/", tenant_views.hop, name="hop"),
    path(
        "accounts/continue/<slug:slug>/",
        tenant_views.continue_to_school,
        name="continue-to-school",
    ),
    path("accounts/continue-as/<str:token>/", tenant_views.continue_as, name="continue-as"),
    path("switch/", tenant_views.switch_school, name="switch-school"),
    path("switch/<slug:slug>/", tenant_views.switch_school_to, name="switch-school-to"),
    path(
        "switch/<slug:slug>/then/<path:landing>",
        tenant_views.switch_school_to,
        name="switch-school-then",
    ),
    path("invitations/<str:token>/", tenant_views.accept_invitation, name="accept-invitation"),
    # /healthz is answered before routing (tenants.health); /ping is the smallest routed page.
    path("ping", tenant_views.ping, name="ping"),
    path("", include("apps.security.urls")),
    path("", include("apps.api_access.urls")),
]

api_common = [path("", include("apps.core.urls_api"))]
