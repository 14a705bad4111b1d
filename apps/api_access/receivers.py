"""Tokens die with the credentials that made them: a password change or reset, or deactivation,
revokes every token of the user at once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save


def _user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return
    # AbstractBaseUser.set_password() leaves the new raw password in _password until save()
    # has finished, which is after post_save: this is a password change or reset.
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        from .services import api_tokens_revoke_all

        api_tokens_revoke_all(user=instance)


def connect() -> None:
    post_save.connect(_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="api-tokens")
