/* Behaviour every page may use, wired by data attributes (the Content-Security-Policy allows no inline script). */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
