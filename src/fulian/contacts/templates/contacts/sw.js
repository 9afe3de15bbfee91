/* The service worker of 今日工作 (served at /sw.js). It keeps her 今日工作 page and the files it loads, so the
   page reloads without a signal; it refreshes the page whenever there is a line. The page is kept under her key
   (the X-Fulian-Owner header of the page), with the end of her session (X-Fulian-Ends): past it, or once she has
   signed out (the next page is a signed-out one, or the page answers with the sign-in page), the copy is deleted.
   It keeps nothing else: no other page, no API answer. The queue of what she records is the page's (IndexedDB).
   Registered with the scope of 今日工作 (/today/): the rest of the site never passes through it. */
"use strict";
var SHELL = "fulian-shell-v1";
var PAGES = "fulian-pages-";
var TODAY = "{{ today|escapejs }}";
var FALLBACK = "{{ fallback|escapejs }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.add(FALLBACK); }).catch(function () {})
    .then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("fulian-shell-") === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function dropPages(except) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(PAGES) === 0 && n !== except; })
      .map(function (n) { return caches.delete(n); }));
  });
}

function keepToday(response) {
  /* a fresh copy of her page, under her key; any other account's copy goes */
  var owner = response.headers.get("X-Fulian-Owner");
  if (!response.ok || response.redirected || !owner) {
    return response.redirected ? dropPages(null) : Promise.resolve();
  }
  var name = PAGES + owner;
  return dropPages(name).then(function () {
    return caches.open(name);
  }).then(function (cache) { return cache.put(TODAY, response); });
}

var keptAt = 0;  // when this worker last kept a fresh copy (the page asks right after loading: no second fetch)

function fetchToday() {
  return fetch(TODAY, {credentials: "same-origin", cache: "no-store"}).then(function (response) {
    return keepToday(response.clone()).then(function () {
      if (response.redirected) {
        /* signed out (idle, the absolute limit, ended elsewhere): a navigation may not take a followed redirect —
           hand the browser a redirect of its own to where the server sent her (the sign-in page) */
        return Response.redirect(response.url, 303);
      }
      if (response.ok && response.headers.get("X-Fulian-Owner")) { keptAt = Date.now(); }
      return response;
    });
  });
}

function keptToday() {
  return caches.keys().then(function (names) {
    var pages = names.filter(function (n) { return n.indexOf(PAGES) === 0; });
    if (!pages.length) { return null; }
    return caches.open(pages[0]).then(function (cache) { return cache.match(TODAY); });
  }).then(function (response) {
    if (!response) { return null; }
    var ends = Number(response.headers.get("X-Fulian-Ends") || 0);
    if (ends && Date.now() / 1000 > ends) { return dropPages(null).then(function () { return null; }); }
    return response;
  });
}

function fallback() {
  return caches.match(FALLBACK).then(function (page) {
    return page || new Response("offline", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (url.pathname === TODAY) {
      event.respondWith(fetchToday().catch(function () {
        return keptToday().then(function (page) { return page || fallback(); });
      }));
    }
    return;  // any other page as the browser would fetch it (the worker's scope is 今日工作's)
  }
  if (url.pathname.indexOf("/static/") === 0) {
    /* a file whose name carries its content's hash never changes: the kept copy first; any other (a server without
       the hashing storage) from the network first, the kept copy only without a signal */
    var hashed = /\.[0-9a-f]{12}\.[a-z0-9]+$/.test(url.pathname);
    event.respondWith(caches.open(SHELL).then(function (cache) {
      var network = function () {
        return fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      };
      if (!hashed) {
        return network().catch(function () {
          return cache.match(request).then(function (hit) { return hit || Response.error(); });
        });
      }
      return cache.match(request).then(function (hit) { return hit || network(); });
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (answer) { if (event.ports && event.ports[0]) { event.ports[0].postMessage(answer); } };
  if (data.type === "keep") {
    var assets = (data.assets || []).filter(function (u) {
      try { var url = new URL(u); return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0; }
      catch (e) { return false; }
    });
    event.waitUntil(caches.open(SHELL).then(function (cache) {
      return Promise.all(assets.map(function (u) { return cache.match(u).then(function (hit) { return hit || cache.add(u); }); }));
    }).then(function () {
      if (Date.now() - keptAt < 60000) { return {ok: true, status: 200}; }  // kept while answering her visit
      return fetchToday();
    }).then(function (response) {
      reply({kept: response.ok && response.status === 200});
    }).catch(function () { reply({kept: false}); }));
  } else if (data.type === "forget") {
    event.waitUntil(dropPages(null).then(function () { reply({forgotten: true}); }));
  }
});
