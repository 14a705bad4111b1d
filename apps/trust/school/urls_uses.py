"""The trust library as a school uses it, on the school's own host (``/library/``)."""

from django.urls import path

from . import uses_views as views

urlpatterns = [
    path("", views.library_uses, name="school-library-uses"),
    path("<int:item_id>/", views.library_item, name="school-library-item"),
]
