from apps.audit.actions import AuditAction


class ProvisionAction(AuditAction):
    INTERVENTION_SAVED = "provision.intervention_saved", "Changed the intervention catalogue"
    GROUP_SAVED = "provision.group_saved", "Set up an intervention group"
    PLACE_ADDED = "provision.place_added", "Gave a pupil a place in an intervention group"
    PLACE_FINISHED = "provision.place_finished", "Recorded a pupil finishing an intervention"
    SESSION_LOGGED = "provision.session_logged", "Logged an intervention session"
    SETTINGS_SET = "provision.settings_set", "Set the provision threshold and SEN budget"
    MAP_VIEWED = "provision.map_viewed", "Viewed the provision map"
    MAP_EXPORTED = "provision.map_exported", "Downloaded the provision map"
    GROUPS_LISTED = "provision.groups_listed", "Listed intervention groups"
    GROUP_VIEWED = "provision.group_viewed", "Viewed an intervention group"
    ADOPTED = "provision.adopted", "Adopted an intervention from the trust library"
