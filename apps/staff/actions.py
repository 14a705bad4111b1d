from apps.audit.actions import AuditAction


class StaffAction(AuditAction):
    STAFF_ADDED = "staff.added", "Added a member of staff"
    STAFF_CHANGED = "staff.changed", "Changed a staff record"
    DEPLOYED = "staff.deployed", "Deployed a member of staff"
    DEPLOYMENT_REMOVED = "staff.deployment_removed", "Removed a deployment"
    TRAINING_RECORDED = "staff.training_recorded", "Recorded training"
    TRAINING_CHANGED = "staff.training_changed", "Changed a training record"
    ARRANGEMENT_ADDED = "exams.arrangement_added", "Added an exam access arrangement"
    ARRANGEMENT_CHANGED = "exams.arrangement_changed", "Changed an exam access arrangement"
    ARRANGEMENTS_LISTED = "exams.arrangements_listed", "Listed exam access arrangements"
    ARRANGEMENT_VIEWED = "exams.arrangement_viewed", "Viewed an exam access arrangement"
    EXAMS_LIST_EXPORTED = "exams.list_exported", "Downloaded the exams officer's list"
    TRANSITION_PLANNED = "transition.planned", "Planned a transition"
    TRANSITION_CHANGED = "transition.changed", "Changed a transition plan"
    TRANSITION_STEP_DONE = "transition.step_done", "Ticked off a transition step"
    TRANSITION_HANDED_OVER = "transition.handed_over", "Handed over at transition"
    TRANSITIONS_LISTED = "transition.listed", "Listed transitions"
    TRANSITION_VIEWED = "transition.viewed", "Viewed a transition plan"
