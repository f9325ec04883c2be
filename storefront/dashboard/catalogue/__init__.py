"""Oscar's catalogue dashboard, staff-only but for two redirects (apps.py)."""
