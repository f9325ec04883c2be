"""Oscar's order dashboard, which sends social workers to their parcels (apps.py)."""
