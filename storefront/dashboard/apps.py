from oscar.apps.dashboard import apps as dashboard_apps
from oscar.apps.dashboard.catalogue import apps as catalogue_apps
from oscar.apps.dashboard.orders import apps
from oscar.core.loading import get_class


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, scoped for social workers (partner users).

    Oscar shows every line, total, payment and address of a mixed order to
    any partner user with one line in it. A social worker is sent to the
    workspace's parcels of that order instead (his households' lines only),
    may not post anything here, and Oscar's other order pages are staff-only.
    """

    name = "storefront.dashboard"

    def ready(self):
        from . import views

        super().ready()
        self.order_list_view = views.OrderListView
        self.order_detail_view = views.OrderDetailView
        staff_only = {"order-stats", "order-detail-note", "order-line-detail"}
        staff_only.add("order-shipping-address")
        for name in staff_only:
            self.permissions_map[name] = self.permissions_map[name][0]


class DashboardConfig(dashboard_apps.DashboardConfig):
    """Oscar's dashboard, whose home page sends social workers to their parcels:
    its order statistics add up whole orders, other households' shares included."""

    def ready(self):
        from . import views

        super().ready()
        self.index_view = views.IndexView


class CatalogueDashboardConfig(catalogue_apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard is the staff's. A social worker lists and
    changes his households' products in the listing workspace, where every
    change is audited: the product list and product pages send him there, and
    Oscar's other catalogue pages are staff-only."""

    name = "storefront.dashboard.catalogue"
    label = "catalogue_dashboard"

    def ready(self):
        from . import views

        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        super().ready()
        self.product_list_view = views.ProductListView
        self.product_createupdate_view = views.ProductCreateUpdateView
        for name, permissions in self.permissions_map.items():
            if isinstance(permissions, tuple):
                self.permissions_map[name] = permissions[0]
        for name in ("catalogue-product", "catalogue-product-list"):
            self.permissions_map[name] = (
                self.permissions_map[name],
                DashboardPermission.partner_dashboard_access,
            )
