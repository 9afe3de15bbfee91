/* Behaviour every page may use, wired by data attributes (the Content-Security-Policy allows no inline script). */
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) { return; }
  var field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) { return; }
  field.select();
  var done = function () { button.textContent = button.getAttribute("data-copied") || "已复制"; };
  if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, function () {}); }
  else if (document.execCommand("copy")) { done(); }
});
