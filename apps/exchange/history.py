"""Turning a file's SEN entries into the register's dated history, and merging it with what the
school already holds. Pure functions: no database.

A file says when each provision started (`SEN`) and when each ranked need started and ended
(`SENneed`). The register keeps snapshots instead: from `effective_date` on, the pupil's
provision, primary and secondary need were these. `timeline` converts; `merge` adds only the
snapshots that say something new, so re-importing a file (or one that overlaps what is held)
adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .census import HISTORIC_TO_CURRENT
from .records import NeedEntry, PupilRecord


@dataclass(frozen=True, order=True)
class Snapshot:
    effective_date: date
    provision: str
    primary_need: str = ""
    secondary_need: str = ""

    @property
    def state(self) -> tuple[str, str, str]:
        return (self.provision, self.primary_need, self.secondary_need)

    @property
    def on_register(self) -> bool:
        return HISTORIC_TO_CURRENT.get(self.provision, self.provision) in ("K", "E")


def _need_active(n: NeedEntry, day: date) -> bool:
    return (n.start_date is None or n.start_date <= day) and (
        n.end_date is None or n.end_date >= day
    )


def timeline(record: PupilRecord, *, today: date) -> list[Snapshot]:
    """The record's SEN entries as dated snapshots, one per change of state."""
    dated = [p for p in record.provisions if p.start_date is not None]
    days = {p.start_date for p in dated}
    days |= {n.start_date for n in record.needs if n.start_date is not None}
    days |= {
        n.end_date + timedelta(days=1)
        for n in record.needs
        if n.end_date is not None and n.end_date < today
    }
    out: list[Snapshot] = []
    previous: tuple[str, str, str] | None = None
    for day in sorted(days):
        in_force = [p for p in dated if p.start_date <= day]
        if not in_force:
            continue
        provision = max(in_force, key=lambda p: p.start_date).provision
        ranks: dict[int, tuple[date, str]] = {}
        if provision != "N":
            for n in record.needs:
                if _need_active(n, day):
                    started = n.start_date or date.min
                    if n.rank not in ranks or started >= ranks[n.rank][0]:
                        ranks[n.rank] = (started, n.code)
        state = (provision, ranks.get(1, (None, ""))[1], ranks.get(2, (None, ""))[1])
        if state != previous:
            out.append(Snapshot(day, *state))
            previous = state
    return out


def state_on(history: list[Snapshot], day: date) -> tuple[str, str, str] | None:
    """The state in force on `day`: the last snapshot dated on or before it (later entries of
    the same date win, as the register orders them)."""
    current = None
    for snap in history:
        if snap.effective_date <= day:
            current = snap.state
    return current


def merge(existing: list[Snapshot], incoming: list[Snapshot]) -> list[Snapshot]:
    """The incoming snapshots to add: those not already held and not a repeat of the state
    already in force on their date. `existing` must be in date order (ties: recording order)."""
    merged = list(existing)
    added: list[Snapshot] = []
    for snap in sorted(incoming):
        if snap in merged or state_on(merged, snap.effective_date) == snap.state:
            continue
        # Insert after every snapshot of the same or an earlier date.
        at = len([s for s in merged if s.effective_date <= snap.effective_date])
        merged.insert(at, snap)
        added.append(snap)
    return added


def current_entry(history: list[Snapshot]) -> Snapshot | None:
    return history[-1] if history else None


def identified_on(history: list[Snapshot]) -> date | None:
    """When the current spell on the register began (None when not on the register)."""
    began = None
    for snap in history:
        if snap.on_register:
            began = began or snap.effective_date
        else:
            began = None
    return began


def insert_sorted(existing: list[Snapshot], added: list[Snapshot]) -> list[Snapshot]:
    merged = list(existing)
    for snap in sorted(added):
        at = len([s for s in merged if s.effective_date <= snap.effective_date])
        merged.insert(at, snap)
    return merged
