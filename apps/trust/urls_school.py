from django.urls import path

from . import school_views

urlpatterns = [
    path("", school_views.transfers, name="school-transfers"),
    path("<int:transfer_id>/decide/", school_views.transfer_decide, name="school-transfer-decide"),
]
