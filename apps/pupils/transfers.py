"""The register's parts of a transfer between trust schools (apps.trust.transfers): the pupil
and register entry with its history (order 0, creates the pupil), then profile, voice,
strategies and concerns. Each exports from the sender's schema and imports into the receiver's,
inside the console's single transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from apps.trust.transfers import TransferContext, register_transfer_part

from .models import Concern, ConcernNote, Pupil, PupilProfile, PupilVoice, SenHistory, Strategy

PUPIL_FIELDS = (
    "upn",
    "first_name",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "gender",
    "year_group",
    "form",
    "eal",
    "pupil_premium",
    "free_school_meals",
    "looked_after",
    "medical_needs",
    "sen_provision",
    "primary_need",
    "secondary_need",
    "sen_identified_on",
)


def _pupil(ctx: TransferContext) -> Pupil:
    return Pupil.objects.get(pk=ctx.source_pupil_id)


def _rows(queryset, exclude=("id", "pupil")) -> list[dict]:
    return [
        {k: v for k, v in model_to_dict(row).items() if k not in exclude} | _stamps(row)
        for row in queryset
    ]


def _stamps(row) -> dict:
    # model_to_dict leaves out non-editable fields; keep the dates the record was made.
    return {
        f.name: getattr(row, f.name)
        for f in row._meta.concrete_fields
        if not f.editable and f.name != "id"
    }


def export_pupil(ctx: TransferContext) -> dict:
    pupil = _pupil(ctx)
    return {
        "pupil": {f: getattr(pupil, f) for f in PUPIL_FIELDS},
        "history": _rows(pupil.sen_history.all()),
    }


def import_pupil(payload: dict, ctx: TransferContext) -> int:
    data = payload["pupil"]
    today = timezone.localdate()
    existing = Pupil.objects.filter(upn=data["upn"]).first()
    if existing is not None:
        if existing.sen_history.exists():
            raise ValidationError(
                "The receiving school already holds a SEND record for this pupil (same UPN); nothing was copied."
            )
        # Already on roll from the school's MIS import: the SEND file joins that record.
        for field in ("sen_provision", "primary_need", "secondary_need", "sen_identified_on"):
            setattr(existing, field, data[field])
        existing.leaving_date = None
        existing.updated_at = timezone.now()
        existing.save()
        pupil = existing
    else:
        pupil = Pupil.objects.create(**data, admission_date=today)
    SenHistory.objects.bulk_create(SenHistory(pupil=pupil, **row) for row in payload["history"])
    ctx.received_pupil_id = pupil.pk
    return 1 + len(payload["history"])


def mark_leaver(ctx: TransferContext) -> None:
    pupil = _pupil(ctx)
    if pupil.leaving_date is None or pupil.leaving_date > timezone.localdate():
        pupil.leaving_date = timezone.localdate()
        pupil.updated_at = timezone.now()
        pupil.save(update_fields=["leaving_date", "updated_at"])


def describe(pupil_id: int) -> str:
    pupil = Pupil.objects.on_roll().filter(pk=pupil_id).first()
    return f"{pupil.display_name} (Year {pupil.year_group})" if pupil else ""


def _simple_part(model, related: str):
    def export(ctx: TransferContext) -> list[dict]:
        return _rows(getattr(_pupil(ctx), related).all())

    def import_(rows: list[dict], ctx: TransferContext) -> int:
        model.objects.bulk_create(model(pupil_id=ctx.received_pupil_id, **row) for row in rows)
        return len(rows)

    return export, import_


def export_profile(ctx: TransferContext) -> dict | None:
    profile = PupilProfile.objects.filter(pupil_id=ctx.source_pupil_id).first()
    return _rows([profile])[0] if profile else None


def import_profile(row: dict | None, ctx: TransferContext) -> int:
    if row is None:
        return 0
    PupilProfile.objects.update_or_create(pupil_id=ctx.received_pupil_id, defaults=row)
    return 1


def export_concerns(ctx: TransferContext) -> list[dict]:
    out = []
    for concern in Concern.objects.filter(pupil_id=ctx.source_pupil_id).prefetch_related("notes"):
        row = _rows([concern])[0]
        row["notes"] = _rows(concern.notes.all(), exclude=("id", "concern"))
        out.append(row)
    return out


def import_concerns(rows: list[dict], ctx: TransferContext) -> int:
    copied = 0
    for row in rows:
        notes = row.pop("notes")
        concern = Concern.objects.create(pupil_id=ctx.new_pupil_id, **row)
        ConcernNote.objects.bulk_create(ConcernNote(concern=concern, **note) for note in notes)
        copied += 1 + len(notes)
    return copied


register_transfer_part(
    "pupil",
    label="Register entry, needs and SEN history",
    export=export_pupil,
    import_=import_pupil,
    order=0,
    mark_leaver=mark_leaver,
    describe=describe,
)
register_transfer_part(
    "profile", label="One-page profile", export=export_profile, import_=import_profile, order=10
)
_voice_export, _voice_import = _simple_part(PupilVoice, "voice_entries")
register_transfer_part(
    "voice", label="Pupil voice", export=_voice_export, import_=_voice_import, order=20
)
_strategy_export, _strategy_import = _simple_part(Strategy, "strategies")
register_transfer_part(
    "strategies",
    label="Strategies that work",
    export=_strategy_export,
    import_=_strategy_import,
    order=30,
)
register_transfer_part(
    "concerns",
    label="Concerns and their notes",
    export=export_concerns,
    import_=import_concerns,
    order=40,
)
