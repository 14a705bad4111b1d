from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/", views.schools, name="trust-schools"),
    path("schools/new/", views.school_onboard, name="trust-school-onboard"),
    path(
        "schools/invitations/<int:invitation_id>/resend/",
        views.school_invitation_resend,
        name="trust-school-invitation-resend",
    ),
    path(
        "schools/invitations/<int:invitation_id>/withdraw/",
        views.school_invitation_revoke,
        name="trust-school-invitation-revoke",
    ),
    path("schools/<int:school_id>/status/", views.school_status, name="trust-school-status"),
    path("schools/<int:school_id>/open/", views.school_drill_down, name="trust-school-drill-down"),
    path("people/", views.people, name="trust-people"),
    path("audit/", views.audit, name="trust-audit"),
    path("settings/", views.trust_settings, name="trust-settings"),
    path("dashboard/", views.dashboard, name="trust-dashboard"),
    path("dashboard/figures.csv", views.dashboard_csv, name="trust-dashboard-csv"),
    path("dashboard/refresh/", views.dashboard_refresh, name="trust-dashboard-refresh"),
    path("dashboard/trends/<slug:metric>/", views.trends, name="trust-trends"),
    path("shared-sencos/", views.shared_sencos, name="trust-shared-sencos"),
    path("shared-sencos/new/", views.arrangement_edit, name="trust-arrangement-new"),
    path("shared-sencos/<int:arrangement_id>/", views.arrangement_detail, name="trust-arrangement"),
    path(
        "shared-sencos/<int:arrangement_id>/edit/",
        views.arrangement_edit,
        name="trust-arrangement-edit",
    ),
    path("qualifications/", views.qualifications, name="trust-qualifications"),
    path(
        "qualifications/<int:user_id>/", views.qualification_edit, name="trust-qualification-edit"
    ),
    path("library/", views.library, name="trust-library"),
    path("library/publish/", views.library_publish, name="trust-library-publish"),
    path("library/<int:item_id>/", views.library_item, name="trust-library-item"),
    path("library/<int:item_id>/adopt/", views.library_adopt, name="trust-library-adopt"),
    path("library/<int:item_id>/withdraw/", views.library_withdraw, name="trust-library-withdraw"),
    path("transfers/", views.transfers, name="trust-transfers"),
]
