from django.urls import path

from . import picker, printouts, views

app_name = "pupils"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.pupil_create, name="create"),
    path("pick/", picker.pick, name="pick"),
    path("classes/", views.classes, name="classes"),
    path("classes/<int:group_id>/staff/", views.class_staff, name="class-staff"),
    path(
        "classes/<int:group_id>/strategy-sheet.pdf",
        printouts.class_strategy_sheet,
        name="class-sheet",
    ),
    path("<int:pupil_id>/passport.pdf", printouts.pupil_passport, name="passport"),
    path("<int:pupil_id>/", views.pupil_detail, name="detail"),
    path("<int:pupil_id>/edit/", views.pupil_edit, name="edit"),
    path("<int:pupil_id>/register/", views.register_change, name="register-change"),
    path("<int:pupil_id>/profile/", views.profile_edit, name="profile-edit"),
    path("<int:pupil_id>/voice/", views.voice_add, name="voice-add"),
    path("<int:pupil_id>/strategies/", views.strategy_add, name="strategy-add"),
    path(
        "<int:pupil_id>/strategies/<int:strategy_id>/retire/",
        views.strategy_retire,
        name="strategy-retire",
    ),
    path("<int:pupil_id>/teaching-assistants/", views.ta_assign, name="ta-assign"),
    path(
        "<int:pupil_id>/teaching-assistants/<int:user_id>/remove/",
        views.ta_unassign,
        name="ta-unassign",
    ),
    path("<int:pupil_id>/concerns/new/", views.concern_raise, name="concern-raise-for"),
]
