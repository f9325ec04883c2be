"""The store's roles as permission groups (created by migration 0005)."""

from .models import MemberRole

BUREAU = "bureau"

ROLE_GROUPS = {
    MemberRole.SOCIAL_WORKER: "Social workers",
    MemberRole.REVIEWER: "Organisation reviewers",
    MemberRole.ADMINISTRATOR: "Organisation administrators",
    BUREAU: "Bureau officers",
}
