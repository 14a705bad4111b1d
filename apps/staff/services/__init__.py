"""Every write about staff, exam access arrangements and transitions, split by noun."""

from .arrangements import ARRANGEMENT_FIELDS, arrangement_add, arrangement_update
from .people import (
    STAFF_FIELDS,
    deployment_add,
    deployment_remove,
    staff_add,
    staff_update,
    training_record,
    training_update,
)
from .transitions import (
    TRANSITION_FIELDS,
    transition_hand_over,
    transition_plan,
    transition_step_add,
    transition_step_done,
    transition_update,
    transition_update_with_steps,
)

__all__ = [
    "ARRANGEMENT_FIELDS",
    "STAFF_FIELDS",
    "TRANSITION_FIELDS",
    "arrangement_add",
    "arrangement_update",
    "deployment_add",
    "deployment_remove",
    "staff_add",
    "staff_update",
    "training_record",
    "training_update",
    "transition_hand_over",
    "transition_plan",
    "transition_step_add",
    "transition_step_done",
    "transition_update",
    "transition_update_with_steps",
]
