"""Who Oscar's dashboard treats as a partner user: a social worker."""


def is_partner_user(request) -> bool:
    """Not staff: a social worker, who reaches the dashboard through
    partner.dashboard_access and is sent to the workspace instead."""
    return not request.user.is_staff
