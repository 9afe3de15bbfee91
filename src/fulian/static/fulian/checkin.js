/* Check-in pages (activities): text only, never markup built from data.
   The QR screen asks every few seconds for the code and the count; when the code has changed it reloads the QR
   image. The tick list sends each tick (and each walk-in) with its client token and keeps the ones the network
   lost in a queue (localStorage, per session): they are sent again while the page is open, and again when it is
   opened next; the server gives the same attendance for the same token, so a tick sent twice is one. */
(function () {
  "use strict";

  function display(screen) {
    var img = screen.querySelector("[data-checkin-qr]");
    var count = screen.querySelector("[data-checkin-count]");
    var offline = screen.querySelector("[data-checkin-offline]");
    var code = screen.getAttribute("data-code");
    function poll() {
      fetch(screen.getAttribute("data-status-url"), {credentials: "same-origin", redirect: "manual",
                                                     headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error("status " + r.status); } return r.json(); })
        .then(function (data) {
          offline.hidden = true;
          count.textContent = String(data.count);
          if (data.code !== code) {
            code = data.code;
            img.src = screen.getAttribute("data-qr-url") + "?c=" + encodeURIComponent(code);
          }
        })
        .catch(function () { offline.hidden = false; });
    }
    setInterval(poll, 10000);
    if (navigator.wakeLock) {  // a phone held up at the door should not go dark
      var lock = function () { navigator.wakeLock.request("screen").catch(function () {}); };
      lock();
      document.addEventListener("visibilitychange", function () { if (!document.hidden) { lock(); } });
    }
  }

  function randomToken() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function roll(page) {
    var key = "fulian-checkin-queue:" + page.getAttribute("data-tick-queue");
    var pending = document.querySelector("[data-tick-pending]");
    var count = document.querySelector("[data-checkin-count]");
    var others = document.querySelector("[data-others]");
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
    var queue = {};
    var sending = {};
    try { queue = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { queue = {}; }

    function save() {
      try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
      var n = Object.keys(queue).length;
      pending.hidden = n === 0;
      pending.textContent = n ? n + " " + pending.getAttribute("data-text") : "";
    }

    function formOf(token) {
      var item = queue[token] || {};
      if (item.walkIn) { return document.querySelector("form[data-walk-in]"); }
      var forms = document.querySelectorAll("form[data-tick]");
      for (var i = 0; i < forms.length; i++) {  // compared as values: a token or an id is never put in a selector
        var signup = forms[i].querySelector("input[name=signup]");
        if (forms[i].querySelector("input[name=client_token]").value === token ||
            (signup && item.fields && signup.value === item.fields.signup)) { return forms[i]; }
      }
      return null;
    }

    function state(form, text, failed) {
      var span = form && form.querySelector("[data-tick-state]");
      if (span) { span.textContent = text; span.className = failed ? "failed" : ""; }
    }

    function addOther(data, item) {
      var empty = others.querySelector("[data-others-empty]");
      if (empty) { empty.remove(); }
      var li = document.createElement("li");
      li.textContent = data.name + " ";
      var small = document.createElement("small");
      small.textContent = item.tail + data.phone_last4 + " · " + data.method + " · " + data.time;
      li.appendChild(small);
      others.appendChild(li);
    }

    function send(token) {
      var item = queue[token];
      if (!item || sending[token]) { return; }
      sending[token] = true;
      var form = formOf(token);
      var body = new URLSearchParams(item.fields);
      if (csrf) { body.set("csrfmiddlewaretoken", csrf.value); }
      fetch(item.url, {method: "POST", body: body, credentials: "same-origin", redirect: "manual",
                       headers: {"Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : ""}})
        .then(function (r) {
          if (r.ok) {
            return r.json().then(function (data) {
              delete queue[token];
              count.textContent = String(data.count);
              if (item.walkIn) {
                addOther(data, item);
                state(form, item.done + " " + data.name, false);
              } else if (form) {
                state(form, item.done + " " + data.time, false);
                var button = form.querySelector("button");
                if (button) { button.hidden = true; }
              }
            });
          }
          if (r.status === 400 || r.status === 404) {  // refused: sending it again would not help
            return r.json().catch(function () { return {}; }).then(function (data) {
              delete queue[token];
              var why = data.detail || item.refused;
              state(form, item.walkIn ? item.fields.name + ": " + why : why, true);
              if (form && !item.walkIn) { form.querySelector("button").disabled = false; }
            });
          }
          state(form, item.retry, true);  // signed out, server trouble: kept for the next try
        })
        .catch(function () { state(form, item.retry, true); })
        .then(function () { delete sending[token]; save(); });
    }

    function sendAll() { Object.keys(queue).forEach(send); }

    document.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-tick]");
      if (!form || !window.fetch || !window.URLSearchParams) { return; }  // an old browser posts the plain form
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      var fields = {};
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") { fields[name] = String(value); }
      });
      var walkIn = form.hasAttribute("data-walk-in");
      queue[fields.client_token] = {url: form.action, fields: fields, walkIn: walkIn,
                                    done: page.getAttribute("data-done"), retry: page.getAttribute("data-retry"),
                                    refused: page.getAttribute("data-refused"), tail: page.getAttribute("data-tail")};
      save();
      if (walkIn) {  // the form is ready for the next one at once; this one waits in the queue
        form.querySelector("input[name=client_token]").value = randomToken();
        form.querySelector("input[name=name]").value = "";
        form.querySelector("input[name=phone]").value = "";
        state(form, page.getAttribute("data-sending") + " " + fields.name, false);
      } else {
        form.querySelector("button").disabled = true;
        state(form, page.getAttribute("data-sending"), false);
      }
      send(fields.client_token);
    });

    var filter = document.querySelector("[data-roll-filter]");
    if (filter) {
      filter.addEventListener("input", function () {
        var text = filter.value.trim();
        document.querySelectorAll("[data-roll-row]").forEach(function (row) {
          row.hidden = text !== "" && row.textContent.indexOf(text) === -1;
        });
      });
    }

    Object.keys(queue).forEach(function (token) {  // left from the last time the page was open
      var form = formOf(token);
      if (form && !queue[token].walkIn) { form.querySelector("button").disabled = true; }
      state(form, queue[token].retry, true);
    });
    save();
    sendAll();
    setInterval(sendAll, 15000);
    window.addEventListener("online", sendAll);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var screen = document.querySelector("[data-checkin-display]");
    if (screen) { display(screen); }
    var page = document.querySelector("[data-tick-queue]");
    if (page) { roll(page); }
  });
})();
