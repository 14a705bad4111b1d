"""Strategies that work for a pupil."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.audit.services import record

from ..actions import PupilAction
from ..models import Pupil, Strategy
from ._common import _name, _uid, authorise


@transaction.atomic
def strategy_add(*, acting_user, pupil: Pupil, text: str, request=None) -> Strategy:
    authorise(acting_user, "add_strategy", pupil, request=request)
    if not (text or "").strip():
        raise ValidationError({"text": ["Describe the strategy."]})
    strategy = Strategy.objects.create(
        pupil=pupil,
        text=text.strip(),
        added_by_user_id=_uid(acting_user),
        added_by_name=_name(acting_user),
    )
    record(
        user=acting_user,
        action=PupilAction.STRATEGY_ADDED,
        pupil=pupil,
        summary="Added a strategy that works",
        request=request,
        extra={"strategy_id": strategy.pk},
    )
    return strategy


@transaction.atomic
def strategy_retire(*, acting_user, strategy: Strategy, request=None) -> Strategy:
    authorise(acting_user, "retire_strategy", strategy.pupil, request=request)
    if strategy.is_active:
        strategy.is_active = False
        strategy.save(update_fields=["is_active"])
        record(
            user=acting_user,
            action=PupilAction.STRATEGY_RETIRED,
            pupil=strategy.pupil,
            summary="Retired a strategy",
            request=request,
            extra={"strategy_id": strategy.pk},
        )
    return strategy
