from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.agency_add, name="add"),
    path("<int:agency_id>/edit/", views.agency_edit, name="edit"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/<int:pupil_id>/", views.referral_new, name="referral-new"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/progress/", views.referral_progress, name="progress"),
    path("referrals/<int:referral_id>/adopt/", views.recommendations_adopt, name="adopt"),
    path("bought-time/new/", views.bought_time_add, name="bought-add"),
    path("bought-time/<int:bought_id>/use/", views.time_use, name="time-use"),
]
