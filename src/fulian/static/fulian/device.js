/* On every page: a phone signed out keeps no copy of anyone's 今日工作. The service worker's copies are deleted when
   she taps 退出 (so also without a signal, when the sign-out itself cannot reach the server), and again on any page
   served to nobody (the page after signing out, the sign-in page). The queue of unsent records is left alone: it
   leaves the phone only by a sync or her discarding it. */
(function () {
  "use strict";
  function forget() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("fulian-pages-") === 0; })
        .map(function (n) { return caches.delete(n); }));
    }).catch(function () {});
  }
  document.addEventListener("submit", function (event) {
    /* started before the sign-out goes (the browser's storage finishes it as the page unloads); the signed-out
       page deletes again — the sign-out itself is never held back */
    var form = event.target.closest("form.logout");
    if (!form) { return; }
    forget();
    if (navigator.onLine === false) {  // the sign-out cannot reach the server: say so, rather than a browser error
      event.preventDefault();
      window.alert(form.dataset.offlineMsg || "");
    }
  });
  if (!document.body.dataset.signedIn) { forget(); }
}());
