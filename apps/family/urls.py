from django.urls import path

from . import views

app_name = "family"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pupils/<int:pupil_id>/", views.pupil_family, name="pupil"),
    path("pupils/<int:pupil_id>/contacts/new/", views.contact_add, name="contact-add"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact-edit"),
    path("pupils/<int:pupil_id>/meetings/new/", views.meeting_add, name="meeting-add"),
    path("actions/<int:action_id>/done/", views.action_done, name="action-done"),
    path("pupils/<int:pupil_id>/consents/new/", views.consent_add, name="consent-add"),
    path("consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
]
