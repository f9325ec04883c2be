from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in form.

    An authenticate() call without a request is no sign-in attempt: Oscar
    makes one to log a customer in right after he registered, and django-axes
    would refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_username(request, credentials) -> str:
    """The account an attempt is counted against: its e-mail in lower case, as
    Oscar's EmailBackend matches it (else each spelling got five tries)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username") or request.POST.get("login-username")
    return (username or "").strip().lower()
