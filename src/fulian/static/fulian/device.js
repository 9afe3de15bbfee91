/* On every page: a phone signed out (this page was served to nobody) keeps no copy of anyone's 今日工作 — the
   service worker's copies are deleted here, as soon as the page after signing out (or the sign-in page) loads. The
   queue of unsent records is left alone: it leaves the phone only by a sync or her discarding it. */
(function () {
  "use strict";
  if (document.body.dataset.signedIn || !window.caches) { return; }
  caches.keys().then(function (names) {
    names.filter(function (n) { return n.indexOf("fulian-pages-") === 0; }).forEach(function (n) { caches.delete(n); });
  }).catch(function () {});
}());
