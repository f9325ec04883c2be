from oscar.apps.dashboard.catalogue import apps
from oscar.core.loading import get_class


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
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
        self.product_bulk_action_confirm_view = views.ProductBulkActionConfirmView
        self.category_list_view = views.CategoryListView
        self.category_detail_list_view = views.CategoryDetailListView
        for name, permissions in self.permissions_map.items():
            if isinstance(permissions, tuple):
                self.permissions_map[name] = permissions[0]
        for name in ("catalogue-product", "catalogue-product-list"):
            self.permissions_map[name] = (
                self.permissions_map[name],
                DashboardPermission.partner_dashboard_access,
            )
