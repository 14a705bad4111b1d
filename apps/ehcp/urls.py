from django.urls import path

from . import views

app_name = "ehcp"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("plans/", views.plans_list, name="plans"),
    path("calendar-feed/", views.calendar_feed, name="feed"),
    path("settings/sixth-form/", views.sixth_form, name="sixth-form"),
    path("pupils/<int:pupil_id>/", views.pupil_ehc, name="pupil"),
    path("pupils/<int:pupil_id>/requests/new/", views.request_create, name="request-create"),
    path("pupils/<int:pupil_id>/plans/new/", views.plan_create, name="plan-create"),
    path("requests/<int:request_id>/edit/", views.request_edit, name="request-edit"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/reviews/new/", views.review_schedule, name="review-schedule"),
    path("reviews/<int:review_id>/", views.review_detail, name="review"),
    path("reviews/<int:review_id>/steps/", views.review_steps, name="review-steps"),
    path("reviews/<int:review_id>/invitees/", views.review_invitee_add, name="review-invitee-add"),
    path(
        "reviews/<int:review_id>/invitations/sent/",
        views.review_invitations_send,
        name="review-invitations-send",
    ),
    path("reviews/<int:review_id>/advice/", views.review_advice_add, name="review-advice-add"),
    path(
        "reviews/<int:review_id>/advice/<int:advice_id>/received/",
        views.review_advice_received,
        name="review-advice-received",
    ),
    path("reviews/<int:review_id>/report/", views.review_report, name="review-report"),
    path(
        "reviews/<int:review_id>/report.<str:file_format>",
        views.review_report_download,
        name="review-report-download",
    ),
]

# Outside the access gate (calendar clients have no session): the secret in the path is the key.
feed_urlpatterns = [
    path("calendar-feeds/<str:token>.ics", views.feed_ics, name="ehcp-feed"),
]
