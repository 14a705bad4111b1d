"""Field-level rights for API serializers, decided by the domain's access module.

A domain's access.py declares which fields of a record only some readers may see, as
`FieldRights(RIGHTS, {"field": "capability"})`; the page templates ask the same capability, and
serializers that mix in `FieldRightsMixin` drop the fields the caller's role may not see. With no
request in the serializer's context the restricted fields are dropped (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .access import Access, Rights


@dataclass(frozen=True)
class FieldRights:
    rights: Rights
    fields: Mapping[str, str] = field(default_factory=dict)

    def hidden_from(self, access: Access | None) -> set[str]:
        """The field names this reader may not see."""
        return {
            name
            for name, capability in self.fields.items()
            if not self.rights.can(access, capability)
        }


def access_of(request: Any) -> Access | None:
    django_request = getattr(request, "_request", request)
    return getattr(django_request, "school_access", None)


def refuse_hidden_fields(field_rights: FieldRights, access: Access | None, data: Any) -> None:
    """A write that names a field this reader may not see is refused (403, naming the fields):
    a role must not set what it cannot see. Called by the API base classes on every write to a
    resource whose serializer has `field_rights` (apps/core/api.py)."""
    if not hasattr(data, "keys"):
        return
    named = sorted(field_rights.hidden_from(access) & {str(key) for key in data.keys()})
    if named:
        from rest_framework.exceptions import PermissionDenied

        raise PermissionDenied(
            f"Your role cannot see {', '.join(named)} on this record, so cannot set "
            f"{'it' if len(named) == 1 else 'them'}. Send the request without "
            f"{'that field' if len(named) == 1 else 'those fields'}."
        )


class FieldRightsMixin:
    """For serializers: `field_rights = <the domain access module's FieldRights>`."""

    field_rights: FieldRights

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()  # type: ignore[misc]
        access = access_of(self.context.get("request"))  # type: ignore[attr-defined]
        for name in self.field_rights.hidden_from(access):
            fields.pop(name, None)
        return fields
