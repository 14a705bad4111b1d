"""Who sees and does what with the agency directory, referrals and bought time, in one table.

- Directory (work contacts of professionals, no pupil data): every school role but governors;
  the SENCo keeps it.
- Referrals: the SENCo, headteacher (and trust SEND lead) see all; teachers and TAs see the
  referrals of pupils they teach or support; office and governors none. The SENCo writes.
- Bought time: the SENCo and headteacher (it is money); the SENCo records it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.core.access import HEAD, OFFICE, SENCO, TA, TEACHER, Access, Rights, read, write
from apps.family.access import scope_by_pupil

from .models import Agency, BoughtTime, Referral

RIGHTS = Rights(
    "agencies and referrals",
    {
        "see_directory": read(SENCO, HEAD, TEACHER, TA, OFFICE),
        "write_directory": write(SENCO),
        "see_referrals": read(SENCO, HEAD, TEACHER, TA),
        "write_referrals": write(SENCO),
        "see_bought_time": read(SENCO, HEAD),
        "write_bought_time": write(SENCO),
    },
)


def referrals_for(access: Access | None, user: Any) -> QuerySet[Referral]:
    if not RIGHTS.can(access, "see_referrals"):
        return Referral.objects.none()
    return scope_by_pupil(Referral.objects.all(), access, user)


def get_agency_for(access: Access | None, agency_id: int) -> Agency:
    RIGHTS.require(access, "see_directory")
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404("No agency with that id in this school.")
    return agency


def get_agency_for_write(access: Access | None, agency_id: int) -> Agency:
    RIGHTS.require(access, "write_directory")
    return get_agency_for(access, agency_id)


def get_referral_for(access: Access | None, user: Any, referral_id: int) -> Referral:
    RIGHTS.require(access, "see_referrals")
    referral = (
        referrals_for(access, user).select_related("pupil", "agency").filter(pk=referral_id).first()
    )
    if referral is None:
        raise Http404("No referral with that id that you can see.")
    return referral


def get_referral_for_write(access: Access | None, user: Any, referral_id: int) -> Referral:
    RIGHTS.require(access, "write_referrals")
    return get_referral_for(access, user, referral_id)


def get_bought_time_for_write(access: Access | None, bought_id: int) -> BoughtTime:
    RIGHTS.require(access, "write_bought_time")
    bought = BoughtTime.objects.filter(pk=bought_id).select_related("agency").first()
    if bought is None:
        raise Http404("No bought time with that id.")
    return bought
