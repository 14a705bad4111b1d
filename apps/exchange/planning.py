"""What an import will do, pupil by pupil, worked out against the school's current records
(reads only), and then doing it in bulk inside one transaction.

The plan is computed at preview and again at confirm (records may have changed in between);
confirm writes only if the fresh plan has no errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record as audit_record
from apps.audit.services import record_many
from apps.pupils.actions import PupilAction
from apps.pupils.models import Pupil, SenHistory
from apps.pupils.rules import pupil_date_errors

from . import history as hist
from .actions import ExchangeAction
from .census import HISTORIC_TO_CURRENT
from .records import PupilRecord, RowError

# File field -> Pupil attribute.
FIELD_MAP: dict[str, str] = {
    "surname": "last_name",
    "forename": "first_name",
    "preferred_surname": "preferred_last_name",
    "preferred_forename": "preferred_first_name",
    "date_of_birth": "date_of_birth",
    "sex": "gender",
    "year_group": "year_group",
    "form": "form",
    "admission_date": "admission_date",
    "leaving_date": "leaving_date",
    "eal": "eal",
    "pupil_premium": "pupil_premium",
    "free_school_meals": "free_school_meals",
    "looked_after": "looked_after",
    "medical_needs": "medical_needs",
}
REQUIRED_FOR_NEW = {"sex": "Sex", "year_group": "Year group"}
REGISTER_ATTRS = ("sen_provision", "primary_need", "secondary_need", "sen_identified_on")


@dataclass
class PupilPlan:
    record: PupilRecord
    pupil: Pupil | None  # None: a new pupil
    changes: dict[str, object] = field(default_factory=dict)  # Pupil attribute -> new value
    history: list[hist.Snapshot] = field(default_factory=list)  # snapshots to add

    @property
    def action(self) -> str:
        if self.pupil is None:
            return "create"
        return "update" if (self.changes or self.history) else "unchanged"

    def preview(self) -> dict:
        before = self.pupil
        return {
            "row": self.record.row,
            "label": self.record.label,
            "upn": self.record.upn,
            "name": f"{self.changes.get('first_name', getattr(before, 'first_name', ''))} {self.changes.get('last_name', getattr(before, 'last_name', ''))}".strip(),
            "action": self.action,
            "changes": [
                {
                    "field": str(Pupil._meta.get_field(attr).verbose_name),
                    "from": _show(getattr(before, attr, "")) if before is not None else "",
                    "to": _show(value),
                }
                for attr, value in self.changes.items()
                if attr not in ("upn",)
            ],
            "history": [
                {
                    "date": s.effective_date.isoformat(),
                    "provision": s.provision,
                    "needs": "/".join(c for c in (s.primary_need, s.secondary_need) if c),
                }
                for s in self.history
            ],
        }


def _show(value: object) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@dataclass
class Plan:
    pupils: list[PupilPlan]
    errors: list[RowError]

    @property
    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "unchanged": 0, "history_added": 0}
        for p in self.pupils:
            out[p.action] += 1
            out["history_added"] += len(p.history)
        return out


def _existing_history(pupil_ids: list[int]) -> dict[int, list[hist.Snapshot]]:
    out: dict[int, list[hist.Snapshot]] = {}
    rows = (
        SenHistory.objects.filter(pupil_id__in=pupil_ids)
        .order_by("effective_date", "recorded_at", "id")
        .values_list("pupil_id", "effective_date", "provision", "primary_need", "secondary_need")
    )
    for pupil_id, day, provision, primary, secondary in rows:
        out.setdefault(pupil_id, []).append(hist.Snapshot(day, provision, primary, secondary))
    return out


def plan_import(records: list[PupilRecord], *, today: date, lock: bool = False) -> Plan:
    """Two queries whatever the size: the pupils with these UPNs, and their history."""
    upns = [r.upn for r in records]
    pupils = Pupil.objects.filter(upn__in=upns)
    if lock:
        pupils = pupils.select_for_update()
    by_upn = {p.upn: p for p in pupils}
    held = _existing_history([p.pk for p in by_upn.values()])
    plans: list[PupilPlan] = []
    errors: list[RowError] = []
    for record in records:
        pupil = by_upn.get(record.upn)
        plan = PupilPlan(record=record, pupil=pupil)
        row_errors: list[RowError] = []

        def error(key: str, message: str, where: str | None = None) -> None:
            row_errors.append(RowError(record.row, record.label, where or key, message))  # noqa: B023

        values = {FIELD_MAP[k]: v for k, v in record.values.items() if k in FIELD_MAP}
        if pupil is None:
            for key, label in REQUIRED_FOR_NEW.items():
                if record.values.get(key) in (None, ""):
                    error(
                        label,
                        f"{label} is required to add a new pupil ({record.upn} is not in the school yet).",
                    )
            plan.changes = {"upn": record.upn, **values}
        else:
            plan.changes = {attr: v for attr, v in values.items() if getattr(pupil, attr) != v}
        final = {
            attr: plan.changes.get(attr, getattr(pupil, attr, None))
            for attr in ("date_of_birth", "admission_date", "leaving_date")
        }
        if final["date_of_birth"] is not None:
            for attr, messages in pupil_date_errors(today=today, **final).items():
                for message in messages:
                    error(Pupil._meta.get_field(attr).verbose_name.capitalize(), message)

        existing = held.get(pupil.pk, []) if pupil is not None else []
        incoming = hist.timeline(record, today=today)
        undated = [p for p in record.provisions if p.start_date is None]
        added = hist.merge(existing, incoming)
        merged = hist.insert_sorted(existing, added)
        if undated:
            # "N" with no date (a CSV): off the register from today, if not already.
            now_state = merged[-1].state if merged else None
            if now_state is not None and now_state[0] != undated[-1].provision:
                snap = hist.Snapshot(today, undated[-1].provision)
                added.append(snap)
                merged.append(snap)
        plan.history = added
        if added:
            last = merged[-1]
            provision = HISTORIC_TO_CURRENT.get(last.provision, last.provision)
            register = {
                "sen_provision": provision,
                "primary_need": last.primary_need,
                "secondary_need": last.secondary_need,
                "sen_identified_on": hist.identified_on(merged),
            }
            for attr, value in register.items():
                if pupil is None or getattr(pupil, attr) != value:
                    plan.changes[attr] = value
            if any(s.effective_date < (final["date_of_birth"] or date.min) for s in added):
                error("SEN history", "An SEN history date is before the pupil's date of birth.")
        errors.extend(row_errors)
        plans.append(plan)
    return Plan(pupils=plans, errors=errors)


def apply_plan(
    plan: Plan, *, acting_user, source: str, batch_id: int, request=None
) -> dict[str, int]:
    """Write the plan in bulk. The caller holds the transaction (all or nothing)."""
    assert transaction.get_connection().in_atomic_block, "apply_plan must run inside a transaction"
    counts = plan.counts  # before writing: afterwards every pupil has a row
    now = timezone.now()
    by_name = getattr(acting_user, "full_name", "") or "System"
    user_id = getattr(acting_user, "pk", None)
    new = [p for p in plan.pupils if p.action == "create"]
    changed = [p for p in plan.pupils if p.action == "update"]
    created = Pupil.objects.bulk_create(
        [Pupil(created_at=now, updated_at=now, **p.changes) for p in new]
    )
    for p, pupil in zip(new, created, strict=True):
        p.pupil = pupil
    to_update: list[Pupil] = []
    fields: set[str] = set()
    for p in changed:
        if p.changes:
            for attr, value in p.changes.items():
                setattr(p.pupil, attr, value)
            p.pupil.updated_at = now
            fields.update(p.changes)
            to_update.append(p.pupil)
    if to_update:
        Pupil.objects.bulk_update(to_update, [*sorted(fields), "updated_at"], batch_size=500)
    reason = f"Imported from {'a Common Transfer File' if source == SenHistory.Source.CTF else 'the MIS'} (import {batch_id})"
    rows = [
        SenHistory(
            pupil=p.pupil,
            effective_date=s.effective_date,
            provision=s.provision,
            primary_need=s.primary_need,
            secondary_need=s.secondary_need,
            reason=reason,
            source=source,
            changed_by_user_id=user_id,
            changed_by_name=by_name,
            recorded_at=now,
        )
        for p in plan.pupils
        for s in p.history
    ]
    SenHistory.objects.bulk_create(rows, batch_size=1000)
    extra = {"import_id": batch_id}
    record_many(
        user=acting_user,
        action=PupilAction.CREATED,
        pupil_ids=[p.pupil.pk for p in new],
        summary=f"Added by import {batch_id}",
        request=request,
        extra=extra,
    )
    record_many(
        user=acting_user,
        action=PupilAction.UPDATED,
        pupil_ids=[p.pupil.pk for p in changed if any(a not in REGISTER_ATTRS for a in p.changes)],
        summary=f"Changed by import {batch_id}",
        request=request,
        extra=extra,
    )
    record_many(
        user=acting_user,
        action=PupilAction.REGISTER_CHANGED,
        pupil_ids=[p.pupil.pk for p in plan.pupils if p.history],
        summary=f"SEN history merged by import {batch_id}",
        request=request,
        extra=extra,
    )
    audit_record(
        user=acting_user,
        action=ExchangeAction.IMPORT_CONFIRMED,
        summary=f"Confirmed import {batch_id}: {counts['create']} added, {counts['update']} updated, {counts['unchanged']} unchanged",
        request=request,
        extra={**extra, **counts},
    )
    return counts
