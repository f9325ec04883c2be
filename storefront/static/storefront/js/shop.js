/* What Oscar's jQuery, Bootstrap and ui.js did on the pages that no longer load
   them: a pressed submit button says "Adding…" and cannot be pressed twice,
   a message can be dismissed, a dropdown (the wish-list menu) opens. */
(function () {
    "use strict";
    document.addEventListener("click", function (event) {
        var target = event.target;
        if (!(target instanceof Element)) {
            return;
        }
        var button = target.closest("[data-loading-text]");
        if (button) {
            var form = button.closest("form");
            if (!form || form.checkValidity()) {
                // After the click's own work, so the form is still submitted.
                window.setTimeout(function () {
                    if (button.tagName === "INPUT") {
                        button.value = button.dataset.loadingText;
                    } else {
                        button.textContent = button.dataset.loadingText;
                    }
                    button.disabled = true;
                    button.classList.add("disabled");
                });
            }
            return;
        }
        var dismiss = target.closest('[data-dismiss="alert"]');
        if (dismiss) {
            event.preventDefault();
            var alert = dismiss.closest(".alert");
            if (alert) {
                alert.remove();
            }
            return;
        }
        var toggle = target.closest('[data-toggle="dropdown"]');
        document.querySelectorAll(".dropdown-menu.show").forEach(function (menu) {
            if (!toggle || menu.parentElement !== toggle.parentElement) {
                menu.classList.remove("show");
            }
        });
        if (toggle) {
            event.preventDefault();
            var menu = toggle.parentElement.querySelector(".dropdown-menu");
            if (menu) {
                var open = menu.classList.toggle("show");
                toggle.setAttribute("aria-expanded", open ? "true" : "false");
            }
        }
    });
})();
