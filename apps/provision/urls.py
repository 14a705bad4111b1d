from django.urls import path

from . import views

app_name = "provision"

urlpatterns = [
    path("", views.provision_map, name="map"),
    path("provision-map.xlsx", views.provision_map_excel, name="map-excel"),
    path("impact/", views.impact, name="impact"),
    path("settings/", views.settings_page, name="settings"),
    path("interventions/", views.intervention_list, name="interventions"),
    path("interventions/new/", views.intervention_edit, name="intervention-add"),
    path(
        "interventions/<int:intervention_id>/edit/",
        views.intervention_edit,
        name="intervention-edit",
    ),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_edit, name="group-add"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group-edit"),
    path(
        "groups/<int:group_id>/places/<int:place_id>/finish/",
        views.place_finish,
        name="place-finish",
    ),
]
