from oscar.apps.basket import apps


class BasketConfig(apps.BasketConfig):
    """Oscar's basket, not forked (same package, label and migrations): only its
    summary page is ours, so that the offers applied once serve its messages."""

    def ready(self):
        super().ready()
        from .views import BasketView

        self.summary_view = BasketView
