from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.school_log, name="school-log"),
    path("audit-log.csv", views.school_log_csv, name="school-log-csv"),
]
