/* The one adapter between the pay page and Stripe.js.
 *
 * The browser turns the card into a token; the server creates and confirms
 * the order's PaymentIntent (amount computed on the server); the browser runs
 * the 3-D Secure step only when the intent requires it; then the order is
 * placed by posting the page's place-order form. localstripe's mock Stripe.js
 * supports exactly this flow, and so does Stripe's.
 */
(function () {
    "use strict";
    var form = document.getElementById("card-form");
    if (!form || typeof Stripe === "undefined") { return; }
    var messages = JSON.parse(document.getElementById("pay-messages").textContent);
    var errorBox = document.getElementById("pay-error");
    var button = document.getElementById("pay-button");
    var stripe = Stripe(form.dataset.publishableKey);
    var card = stripe.elements().create("card", { hidePostalCode: true });
    card.mount("#card-element");

    function csrfToken() {
        return document.querySelector("#place_order_form [name=csrfmiddlewaretoken]").value;
    }

    function fail(message) {
        errorBox.textContent = message || messages.failed;
        errorBox.hidden = false;
        button.disabled = false;
        button.removeAttribute("aria-busy");
    }

    function authorize(paymentMethod) {
        var body = new URLSearchParams({ payment_method: paymentMethod });
        return fetch(form.dataset.authorizeUrl, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
        }).then(function (response) {
            // A redirect (the basket changed, the session ended) or an error
            // page is not an authorisation: never go on to place the order.
            return response.json().catch(function () { return {}; }).then(function (answer) {
                if (response.redirected) { window.location.assign(response.url); }
                if (!response.ok || response.redirected) {
                    throw new Error(answer.error || messages.failed);
                }
                return answer;
            });
        });
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        errorBox.hidden = true;
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        stripe.createToken(card).then(function (result) {
            if (result.error) { throw new Error(messages.failed); }
            return authorize(result.token.card.id);
        }).then(function (answer) {
            if (answer.error) { throw new Error(answer.error); }
            if (answer.status === "requires_action") {
                return stripe.confirmCardPayment(answer.client_secret).then(function (result) {
                    var intent = result.paymentIntent;
                    if (result.error || !intent || intent.status !== "requires_capture") {
                        throw new Error(messages.declined3ds);
                    }
                    return answer;
                });
            }
            if (answer.status !== "requires_capture") { throw new Error(messages.failed); }
            return answer;
        }).then(function () {
            document.getElementById("place_order_form").submit();
        }).catch(function (error) { fail(error && error.message); });
    });
}());
