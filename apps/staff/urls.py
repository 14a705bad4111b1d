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
]
