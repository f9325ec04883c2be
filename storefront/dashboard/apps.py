from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, whose home page sends social workers to their parcels:
    its order statistics add up whole orders, other households' shares included.
    Its order and catalogue apps are ours too (orders/, catalogue/)."""

    def ready(self):
        from . import views

        super().ready()
        self.index_view = views.IndexView
