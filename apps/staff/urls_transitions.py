from django.urls import path

from . import views

app_name = "transitions"

urlpatterns = [
    path("", views.transitions, name="list"),
    path("new/<int:pupil_id>/", views.transition_new, name="new"),
    path("<int:transition_id>/", views.transition_detail, name="detail"),
    path("<int:transition_id>/steps/", views.transition_step, name="step"),
    path("<int:transition_id>/hand-over/", views.transition_hand_over, name="hand-over"),
]
