"""Roles (DESIGN.md section 1). Kept as plain choices so permissions read like the table."""

from django.db import models


class SchoolRole(models.TextChoices):
    SENCO = "senco", "SENCo"
    HEADTEACHER = "headteacher", "Headteacher"
    TEACHER = "teacher", "Teacher"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    OFFICE = "office", "Office / data manager"
    GOVERNOR = "governor", "SEND link governor"


class TrustRole(models.TextChoices):
    TRUST_ADMIN = "trust_admin", "Trust admin"
    SEND_LEAD = "send_lead", "Trust SEND lead"
    FINANCE = "finance", "Finance"
    VIEWER = "viewer", "Viewer"


# Trust roles that may open a school's own pages (pupil-level drill-down, audited in the school).
TRUST_ROLES_WITH_SCHOOL_ACCESS = frozenset({TrustRole.SEND_LEAD})
# Trust roles that see aggregate dashboards in the console.
TRUST_ROLES_WITH_DASHBOARDS = frozenset(
    {TrustRole.TRUST_ADMIN, TrustRole.SEND_LEAD, TrustRole.VIEWER}
)
TRUST_ROLES_WITH_BILLING = frozenset({TrustRole.TRUST_ADMIN, TrustRole.FINANCE})
