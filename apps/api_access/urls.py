from django.urls import path

from . import views

# Every host: a person's own tokens.
urlpatterns = [
    path("account/api-access/", views.my_tokens, name="api-access"),
    path(
        "account/api-access/<str:token_id>/revoke/",
        views.revoke_my_token,
        name="api-access-revoke",
    ),
]

# Platform host: the trust admin's view.
trust_urlpatterns = [
    path("people/api-access/", views.trust_tokens, name="trust-api-access"),
    path(
        "people/api-access/<str:token_id>/revoke/",
        views.trust_revoke_token,
        name="trust-api-access-revoke",
    ),
]
