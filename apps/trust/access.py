"""Who may do what in the trust console (DESIGN.md section 1), in one table.

- Trust admin: schools (onboard, suspend, archive), people, settings, the trust's audit log;
  dashboards, shared SENCos, the library and transfers.
- Trust SEND lead: dashboards, shared SENCo arrangements and qualifications, the library,
  transfers; drill-down into a school's pupil records (audited in the school).
- Viewer: dashboards and the library, read only. Finance: billing only (apps/billing/access.py).
A school's own SENCo starts, accepts and declines transfers on the school's host
(``SCHOOL_TRANSFER_ROLE``); trust staff never do. Likewise what a school shares with the trust
library (its strategies, interventions, agency entries) is chosen on the school's host by the
school's own staff (``SCHOOL_LIBRARY_RIGHTS``): trust staff only see what has been published, and
write only the console's own guidance and templates.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.core.access import SENCO, Rights, TrustRights, write
from tenants.access import school_access_for
from tenants.models import School, SchoolMembership, Trust
from tenants.rights import RIGHTS as TENANCY_RIGHTS
from tenants.roles import TRUST_ROLES_WITH_DASHBOARDS, TrustRole

from .models import LibraryItem, PupilTransfer, SharedSencoArrangement

ADMIN = frozenset({TrustRole.TRUST_ADMIN})
LEADS = frozenset({TrustRole.TRUST_ADMIN, TrustRole.SEND_LEAD})
DASHBOARDS = frozenset(TRUST_ROLES_WITH_DASHBOARDS)
EVERY_TRUST_ROLE = frozenset(TrustRole.values)

RIGHTS = TrustRights(
    "the trust console",
    {
        "see_console": EVERY_TRUST_ROLE,
        "see_dashboards": DASHBOARDS,
        "see_library": DASHBOARDS,
        # The tenancy core's services decide these; the console's pages ask the same roles.
        "manage_schools": TENANCY_RIGHTS.roles("manage_schools"),
        "manage_people": TENANCY_RIGHTS.roles("manage_people"),
        "see_trust_audit": ADMIN,
        "change_settings": ADMIN,
        "drill_down": frozenset({TrustRole.SEND_LEAD}),
        "refresh_figures": LEADS,
        "manage_shared_sencos": LEADS,
        "publish_to_library": LEADS,
        "adopt_from_library": LEADS,
        "see_transfers": LEADS,
    },
    denied_message="Your trust role cannot open this page.",
)

# On the school's host: what the school publishes to (and withdraws from) the trust library. The
# SENCo holds the pupils' records the texts come from, so only they choose; trust staff never do
# (a write is never granted through a trust role).
SCHOOL_LIBRARY_RIGHTS = Rights(
    "sharing with the trust library",
    {"share_with_trust": write(SENCO)},
    denied_message="Only the school's SENCo chooses what the school shares with the trust library.",
    trust_denied_message="Only the school's own SENCo chooses what the school shares with the trust library.",
)

SCHOOL_TRANSFER_ROLE = SENCO
SCHOOL_TRANSFER_MESSAGE = "Only the school's SENCo can transfer pupils' SEND files."


def get_school_for(trust: Trust, school_id: int) -> School:
    """A school of this trust; another trust's school is "not found", never "forbidden"."""
    school = School.objects.filter(pk=school_id, trust=trust).first()
    if school is None:
        raise Http404("No such school in your trust.")
    return school


def get_arrangement_for(trust: Trust, arrangement_id: int) -> SharedSencoArrangement:
    arrangement = (
        SharedSencoArrangement.objects.select_related("senco")
        .filter(pk=arrangement_id, trust=trust)
        .first()
    )
    if arrangement is None:
        raise Http404("No such arrangement in your trust.")
    return arrangement


def get_library_item_for(trust: Trust, item_id: int) -> LibraryItem:
    item = LibraryItem.objects.filter(pk=item_id, trust=trust).first()
    if item is None:
        raise Http404("No such library item in your trust.")
    return item


def get_library_item_used_by(school: School, item_id: int) -> LibraryItem:
    """A library item this school uses (adopted it, or shared it itself), for anyone working at
    the school to read: catalogue wording only, never a pupil. Another school's item, another
    trust's, or a withdrawn one is "not found"."""
    from .selectors import library_items_used_by

    item = library_items_used_by(school).filter(pk=item_id).first()
    if item is None:
        raise Http404("This school does not use that library item.")
    return item


def require_school_senco(user: Any, school: School) -> None:
    """Transfers are the schools' own SENCos' to start, accept and decline. None = system."""
    if user is None:
        return
    if not SchoolMembership.objects.filter(
        user=user, school=school, role=SCHOOL_TRANSFER_ROLE
    ).exists():
        raise PermissionDenied(SCHOOL_TRANSFER_MESSAGE)


def require_school_publisher(user: Any, school: School) -> None:
    """The user may share this school's items with the trust library (and withdraw them): the
    school's own SENCo. None = the system itself (demo seeding)."""
    if user is None:
        return
    SCHOOL_LIBRARY_RIGHTS.require(school_access_for(user, school), "share_with_trust")


def get_published_item_for_write(user: Any, school: School, item_id: int) -> LibraryItem:
    """A library item this school published, for its SENCo to withdraw; another school's item
    is "not found"."""
    require_school_publisher(user, school)
    item = LibraryItem.objects.filter(pk=item_id, source_school=school).first()
    if item is None:
        raise Http404("No such item published by this school.")
    return item


def get_transfer_for_write(
    user: Any, school: School, transfer_id: int, *, sending: bool
) -> PupilTransfer:
    """A transfer this school's SENCo may decide: one coming in (accept, decline) or, with
    ``sending``, one going out (cancel). Another school's transfer is "not found"."""
    require_school_senco(user, school)
    field = "from_school" if sending else "to_school"
    transfer = PupilTransfer.objects.filter(pk=transfer_id, **{field: school}).first()
    if transfer is None:
        raise Http404("No such transfer.")
    return transfer
