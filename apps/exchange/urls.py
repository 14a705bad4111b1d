from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/template.csv", views.import_template, name="import-template"),
    path("imports/<int:import_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:import_id>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:import_id>/discard/", views.import_discard, name="import-discard"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/pupils/<int:pupil_id>/", views.exports_page, name="exports-for-pupil"),
]
