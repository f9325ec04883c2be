"""The one way settings read the environment: an empty value counts as unset."""

import os


def env(name: str, default: str | None = None) -> str | None:
    """Read one setting from the environment; an empty value counts as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item for item in (env(name, "") or "").split(",") if item]
