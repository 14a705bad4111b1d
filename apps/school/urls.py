from django.urls import path

from . import settings_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("school/terms/", settings_views.term_dates, name="school-terms"),
]
