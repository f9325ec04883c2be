"""The basket page: Oscar's, with the offers looked up once a request."""

from oscar.apps.basket import views


class BasketView(views.BasketView):
    """Oscar's basket page; its upsell messages come from the offers the basket
    middleware applied, where Oscar's page looks them up a second time."""

    def get_upsell_messages(self, basket):
        offers = getattr(basket, "offers_considered", None)
        if offers is None:
            # A basket loaded apart (Oscar's AJAX update reloads it).
            return super().get_upsell_messages(basket)
        applied = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied
        ]
