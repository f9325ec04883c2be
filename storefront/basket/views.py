"""The basket page: Oscar's, with the offers looked up once a request."""

from oscar.apps.basket import views

from sellers.preorders.services import preorder_limit_check


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


class BasketAddView(views.BasketAddView):
    """Oscar's add to basket, refusing more of a pre-order than one order may
    hold (the checkout refuses it again, however the basket was filled)."""

    def form_valid(self, form):
        quantity = form.cleaned_data["quantity"] + self.request.basket.product_quantity(
            self.product
        )
        refused = preorder_limit_check(product=self.product, quantity=quantity)
        if refused:
            form.add_error(None, refused)
            return self.form_invalid(form)
        return super().form_valid(form)
