from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("", views.exams, name="list"),
    path("access-arrangements.pdf", views.exams_download, {"file_format": "pdf"}, name="pdf"),
    path("access-arrangements.xlsx", views.exams_download, {"file_format": "xlsx"}, name="xlsx"),
    path("pupils/<int:pupil_id>/new/", views.arrangement_add, name="add"),
    path("<int:arrangement_id>/edit/", views.arrangement_edit, name="edit"),
]
