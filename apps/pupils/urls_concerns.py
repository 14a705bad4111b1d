"""Concerns live at /concerns/ (their own nav item, so the register is not highlighted too)."""

from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("", views.concern_list, name="list"),
    path("new/", views.concern_raise, name="new"),
    path("<int:concern_id>/", views.concern_detail, name="detail"),
]
