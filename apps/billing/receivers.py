from __future__ import annotations

from tenants.models import School


def start_trial(sender, school: School, **kwargs) -> None:
    """Every newly provisioned school starts on a free trial (BILLING_TRIAL_DAYS)."""
    from .services import billing_trial_start

    billing_trial_start(school=school)
