"""Who reads the bureau's reports."""


def is_bureau(user) -> bool:
    """Bureau officers (and superusers) read the reports."""
    from sellers.roles import BUREAU, ROLE_GROUPS

    return user.is_active and (
        user.is_superuser or user.groups.filter(name=ROLE_GROUPS[BUREAU]).exists()
    )
