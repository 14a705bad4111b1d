from django.urls import path

from . import views

urlpatterns = [
    path("accounts/two-step/", views.two_step, name="two-step"),
    path("accounts/two-step/set-up/", views.set_up, name="two-step-set-up"),
    path("security/", views.trust_policy, name="trust-security-policy"),
]
