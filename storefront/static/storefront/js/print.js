// Print buttons of printable pages (no inline handlers: ready for a strict CSP).
document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
