from oscar.apps.basket import apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket, not forked (same package, label and migrations): only its
    summary page is ours, so that the offers applied once serve its messages,
    and its add view, which holds a pre-order's per-order limit."""

    def ready(self):
        super().ready()
        from .views import BasketAddView, BasketView

        self.summary_view = BasketView
        self.add_view = BasketAddView
