from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_add, name="add"),
    path("<int:staff_id>/edit/", views.staff_edit, name="edit"),
    path("<int:staff_id>/deploy/", views.deploy, name="deploy"),
    path("deployments/<int:deployment_id>/remove/", views.deployment_remove, name="undeploy"),
    path("training/new/", views.training_add, name="training-add"),
    path("exams/", views.exams, name="exams"),
    path(
        "exams/access-arrangements.pdf",
        views.exams_download,
        {"file_format": "pdf"},
        name="exams-pdf",
    ),
    path(
        "exams/access-arrangements.xlsx",
        views.exams_download,
        {"file_format": "xlsx"},
        name="exams-xlsx",
    ),
    path("exams/pupils/<int:pupil_id>/new/", views.arrangement_add, name="arrangement-add"),
    path("exams/<int:arrangement_id>/edit/", views.arrangement_edit, name="arrangement-edit"),
    path("transitions/", views.transitions, name="transitions"),
    path("transitions/new/<int:pupil_id>/", views.transition_new, name="transition-new"),
    path("transitions/<int:transition_id>/", views.transition_detail, name="transition"),
    path("transitions/<int:transition_id>/steps/", views.transition_step, name="transition-step"),
    path(
        "transitions/<int:transition_id>/hand-over/", views.transition_hand_over, name="hand-over"
    ),
]
