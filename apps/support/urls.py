from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("class/", views.class_view, name="class"),
    path("pupils/<int:pupil_id>/", views.pupil_support, name="pupil"),
    path("pupils/<int:pupil_id>/plan/new/", views.plan_create, name="plan-create"),
    path("pupils/<int:pupil_id>/assessments/new/", views.assessment_add, name="assessment-add"),
    path("pupils/<int:pupil_id>/observations/new/", views.observation_add, name="observation-add"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/review/", views.plan_review, name="plan-review"),
    path("plans/<int:plan_id>/plan.pdf", views.plan_pdf, name="plan-pdf"),
]
