from oscar.apps.dashboard.orders import apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, scoped for social workers (partner users).

    Oscar shows every line, total, payment and address of a mixed order to
    any partner user with one line in it. A social worker is sent to the
    workspace's parcels of that order instead (his households' lines only),
    may not post anything here, and Oscar's other order pages are staff-only.
    """

    name = "storefront.dashboard.orders"

    def ready(self):
        from . import views

        super().ready()
        self.order_list_view = views.OrderListView
        self.order_detail_view = views.OrderDetailView
        staff_only = {"order-stats", "order-detail-note", "order-line-detail"}
        staff_only.add("order-shipping-address")
        for name in staff_only:
            self.permissions_map[name] = self.permissions_map[name][0]
