"""What the pre-order services refuse."""

from django.core.exceptions import ValidationError


class PreorderError(ValidationError):
    """A pre-order change that cannot be made as asked; nothing was changed."""
