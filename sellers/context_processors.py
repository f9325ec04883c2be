from django.utils.functional import SimpleLazyObject

from .models import MemberRole, Membership


def workspace_roles(request):
    """The user's organisation roles, for the workspace's menu; queried only
    if a page asks."""
    user = request.user

    def roles():
        if not user.is_authenticated:
            return []
        if user.is_superuser:
            return list(MemberRole.values)
        return list(Membership.objects.filter(user=user).values_list("role", flat=True))

    return {"workspace_roles": SimpleLazyObject(roles)}
