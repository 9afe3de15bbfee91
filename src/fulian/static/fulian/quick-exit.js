/* Quick exit for survivors: leave at once for a neutral site, replacing this page in the tab's history so
   "back" does not return here. Esc does the same. */
(function () {
  /* The history must hold no help page: each help page replaces its own entry with a neutral page of this site,
     so "back" (after quick exit, or later on a shared phone) shows that page, never the form. Forms name their
     action, so posting still reaches the help pages. */
  var page = document.querySelector("[data-neutral-url]");
  if (page && window.history && history.replaceState) {
    history.replaceState(null, "", page.getAttribute("data-neutral-url"));
  }
  function leave(url) {
    try { window.open(url, "_blank", "noopener"); } catch (e) { /* a blocked pop-up is fine */ }
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-quick-exit]");
    if (link) { event.preventDefault(); leave(link.getAttribute("href")); }
  });
  document.addEventListener("keydown", function (event) {
    var link = document.querySelector("[data-quick-exit]");
    if (event.key === "Escape" && link) { leave(link.getAttribute("href")); }
  });
})();
