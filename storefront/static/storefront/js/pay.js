/* The one adapter between an order's pay page and Stripe.
 *
 * The server creates and confirms the order's PaymentIntent for the chosen
 * method (the amount is the order's); the page then does what the intent's
 * next_action asks: a card's 3-D Secure step (Stripe.js), WeChat Pay's QR
 * code (shown while the page polls the order's status), Alipay's redirect.
 * Whether the order is paid is always the server's answer, read from Stripe.
 * localstripe's mock Stripe.js supports the card part, and so does Stripe's.
 */
(function () {
    "use strict";
    var form = document.getElementById("pay-form");
    if (!form) { return; }
    var messages = JSON.parse(document.getElementById("pay-messages").textContent);
    var errorBox = document.getElementById("pay-error");
    var button = document.getElementById("pay-button");
    var cardFields = document.getElementById("card-fields");
    var qr = document.getElementById("wechat-qr");
    var deadline = document.getElementById("pay-deadline");
    var stripe = null;
    var card = null;
    if (typeof Stripe !== "undefined" && document.getElementById("card-element")) {
        stripe = Stripe(form.dataset.publishableKey);
        card = stripe.elements().create("card", { hidePostalCode: true });
        card.mount("#card-element");
    }

    function chosen() {
        var input = form.querySelector("input[name=method]:checked");
        return input ? input.value : "card";
    }

    form.addEventListener("change", function () {
        cardFields.hidden = chosen() !== "card";
    });

    if (deadline) {
        var ends = Date.now() + Number(deadline.dataset.seconds) * 1000;
        var tick = function () {
            var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
            var text = String(Math.floor(left / 60)).padStart(2, "0") + ":" +
                String(left % 60).padStart(2, "0");
            deadline.textContent = messages.deadline.replace("%(time)s", text);
            if (left === 0) { window.location.reload(); return; }
            window.setTimeout(tick, 1000);
        };
        tick();
    }

    function fail(message) {
        errorBox.textContent = message || messages.failed;
        errorBox.hidden = false;
        button.disabled = false;
        button.removeAttribute("aria-busy");
    }

    function ask(url, body) {
        var options = {
            method: body ? "POST" : "GET",
            credentials: "same-origin",
            headers: { "Accept": "application/json" }
        };
        if (body) {
            options.body = new URLSearchParams(body);
            options.headers["X-CSRFToken"] = form.querySelector("[name=csrfmiddlewaretoken]").value;
        }
        return fetch(url, options).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (answer) {
                if (answer.released) { window.location.reload(); }
                if (!response.ok || response.redirected) {
                    throw new Error(answer.error || messages.failed);
                }
                return answer;
            });
        });
    }

    function poll() {
        window.setTimeout(function () {
            ask(form.dataset.statusUrl).then(follow).catch(function (error) {
                qr.hidden = true;
                fail(error && error.message);
            });
        }, 2000);
    }

    function follow(answer) {
        var action = answer.next_action || {};
        if (answer.status === "succeeded") {
            window.location.assign(answer.redirect);
        } else if (action.type === "wechat_pay_display_qr_code") {
            var code = action.wechat_pay_display_qr_code;
            document.getElementById("wechat-qr-image").src = code.image_data_url;
            document.getElementById("wechat-qr-link").href = code.hosted_instructions_url;
            qr.hidden = false;
            poll();
        } else if (action.type === "alipay_handle_redirect") {
            window.location.assign(action.alipay_handle_redirect.url);
        } else if (action.type === "redirect_to_url") {
            window.location.assign(action.redirect_to_url.url);
        } else if (answer.status === "requires_action" && stripe) {
            return stripe.confirmCardPayment(answer.client_secret).then(function (result) {
                var intent = result.paymentIntent;
                if (result.error || !intent || intent.status === "requires_payment_method") {
                    throw new Error(messages.declined3ds);
                }
                return ask(form.dataset.statusUrl).then(follow);
            });
        } else if (answer.status === "processing" || (!qr.hidden && answer.status === "requires_action")) {
            poll();
        } else {
            throw new Error(messages.failed);
        }
    }

    form.addEventListener("submit", function (event) {
        event.preventDefault();
        errorBox.hidden = true;
        qr.hidden = true;
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        var method = chosen();
        var paid;
        if (method === "card") {
            paid = stripe.createToken(card).then(function (result) {
                if (result.error) { throw new Error(messages.failed); }
                return ask(form.dataset.payUrl, { method: "card", payment_method: result.token.card.id });
            });
        } else {
            paid = ask(form.dataset.payUrl, { method: method });
        }
        paid.then(follow).catch(function (error) { fail(error && error.message); });
    });
}());
