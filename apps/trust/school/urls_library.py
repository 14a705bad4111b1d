"""The school's side of the trust library, on the school's own host (``/trust-library/``): its
SENCo chooses what to share, sees the wording checked against the roll, and withdraws it."""

from django.urls import path

from . import library_views as views

urlpatterns = [
    path("", views.library, name="school-library"),
    path("share/<slug:kind>/<str:ref>/", views.library_share, name="school-library-share"),
    path("<int:item_id>/withdraw/", views.library_withdraw, name="school-library-withdraw"),
]
