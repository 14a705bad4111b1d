from apps.audit.actions import AuditAction


class SchoolAction(AuditAction):
    TERMS_SET = "school.terms_set", "Set the school's term dates"
    REVIEW_CADENCE_SET = "school.review_cadence_set", "Set how often support plans are reviewed"
