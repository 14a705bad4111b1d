"""Transfers between schools of a trust: pluggable parts.

Each domain package adds a `transfers.py` module calling `register_transfer_part(...)`. A part
exports its records about one pupil from the sending school's schema (a plain dict) and imports
them into the receiving school's schema. The console runs every part in ONE database transaction
(both schemas live in the same database), so a failure in any part leaves nothing in the
receiver and changes nothing in the sender.

`TransferContext.received_pupil_id` is set by the part that creates the pupil (order 0); later
parts use it. `mark_leaver` hooks run in the sender after every import succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apps.core.registry import Registry


@dataclass
class TransferContext:
    source_pupil_id: int
    from_school: object
    to_school: object
    acting_user: object
    received_pupil_id: int | None = None
    # ids of copied rows, per part, for parts that need to link to another part's rows
    id_maps: dict[str, dict[int, int]] = field(default_factory=dict)
    # Undo steps for side effects outside the database (files written into the receiver's
    # storage): run if the transfer fails, since the database rollback cannot undo them.
    on_failure: list = field(default_factory=list)

    @property
    def new_pupil_id(self) -> int:
        """The pupil's id in the receiving school, for the parts that run after the pupils part
        (which creates the pupil there and sets ``received_pupil_id``)."""
        if self.received_pupil_id is None:
            raise RuntimeError("The pupil has not been received yet: the pupils part runs first.")
        return self.received_pupil_id


@dataclass(frozen=True)
class TransferPart:
    key: str
    label: str
    export: Callable[[TransferContext], object]  # in the sender's schema
    # In the receiver's schema, given what export() returned; returns the rows copied.
    import_: Callable[[Any, TransferContext], int]
    order: int = 100
    mark_leaver: Callable[[TransferContext], None] | None = (
        None  # in the sender's schema, after import
    )
    describe: Callable[[int], str] | None = (
        None  # in the sender's schema: pupil id -> name for SENCos
    )


TRANSFER_PARTS: Registry[TransferPart] = Registry(
    "transfer parts",
    key=lambda p: p.key,
    order=lambda p: (p.order, p.key),
    autodiscover="transfers",
)


def register_transfer_part(
    key: str,
    *,
    label: str,
    export: Callable[[TransferContext], object],
    import_: Callable[[Any, TransferContext], int],
    order: int = 100,
    mark_leaver: Callable[[TransferContext], None] | None = None,
    describe: Callable[[int], str] | None = None,
) -> TransferPart:
    part = TransferPart(
        key=key,
        label=label,
        export=export,
        import_=import_,
        order=order,
        mark_leaver=mark_leaver,
        describe=describe,
    )
    return TRANSFER_PARTS.register(part)


def unregister_transfer_part(key: str) -> None:
    TRANSFER_PARTS.unregister_key(key)


def transfer_parts() -> list[TransferPart]:
    return TRANSFER_PARTS.all()
