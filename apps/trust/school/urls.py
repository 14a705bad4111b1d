from django.urls import path

from . import views

urlpatterns = [
    path("", views.transfers, name="school-transfers"),
    path("<int:transfer_id>/decide/", views.transfer_decide, name="school-transfer-decide"),
]
