/* 今日工作 without a signal. What she records (a contact, a need met, a help request) goes first into a queue kept on
   the phone (IndexedDB, filed under her key: another account signed in on the same phone sees and sends none of
   it), then to the server in the order it was made — at once when there is a line, else when the line comes back
   or she taps 同步. Each item has a token made here; the server applies an item once however often it is sent.
   An applied item leaves the phone; a refused one stays with the server's reason, to be corrected or discarded.
   Works in the open page without a service worker (WeChat on iPhone has none); with one, the page also reloads
   offline (sw.js). Text is only ever put into the page as text (textContent, value), never as HTML. */
(function () {
  "use strict";
  var panel = document.getElementById("offline");
  if (!panel) { return; }
  var owner = panel.dataset.owner;
  var msg = function (key) { return panel.dataset["msg" + key.charAt(0).toUpperCase() + key.slice(1)] || key; };
  var DB = "fulian-offline", STORE = "queue", CHUNK = 50;
  var recent = [];  // what this page applied (shown until the page is left)
  var syncing = false, again = false, synced = 0, refusedNow = 0;
  var RETRY_FIRST = 30000, RETRY_MOST = 300000, retryIn = RETRY_FIRST, retryTimer = null;
  function retryLater() {  // the line came back but did not carry: try again, less and less often
    if (retryTimer) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; if (navigator.onLine) { sync(); } }, retryIn);
    retryIn = Math.min(retryIn * 2, RETRY_MOST);
  }

  /* ---- the queue (IndexedDB) ---- */
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no indexedDB")); return; }
        var open = indexedDB.open(DB, 1);
        open.onupgradeneeded = function () {
          var store = open.result.createObjectStore(STORE, {keyPath: "token"});
          store.createIndex("owner", "owner");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = t.onabort = function () { reject(t.error); };
        work(t.objectStore(STORE), function (value) { result = value; });
      });
    });
  }
  function mine() {
    return tx("readonly", function (store, done) {
      var request = store.index("owner").getAll(owner);
      request.onsuccess = function () {
        done(request.result.sort(function (a, b) { return a.seq - b.seq; }));
      };
    });
  }
  function everyone() {
    return tx("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () { done(request.result); };
    });
  }
  function put(item) { return tx("readwrite", function (store) { store.put(item); }); }
  function drop(token) { return tx("readwrite", function (store) { store.delete(token); }); }

  /* ---- dates and tokens made on the phone ---- */
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localDay(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function localStamp(d) {
    var offset = -d.getTimezoneOffset(), sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return localDay(d) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }
  function newToken() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return pad(b.toString(16)); }).join("").slice(0, 32);
  }
  var seqBase = Date.now() * 1000, seqNext = 0;

  /* ---- forms: cloned from the page's <template>s, never built from strings ---- */
  function formFor(kind, slot, context, item) {
    var existing = slot.querySelector("form");
    if (existing) { existing.remove(); return null; }  // a second tap closes it: one form at a time
    var form = document.getElementById("tpl-" + kind).content.firstElementChild.cloneNode(true);
    Object.keys(context).forEach(function (key) { form.dataset[key] = context[key]; });
    form.dataset.token = item ? item.token : newToken();
    form.dataset.seq = item ? item.seq : String(seqBase + (seqNext++));
    var today = localDay(new Date());
    form.querySelectorAll("input[type=date][name=on], input[type=hidden][name=on]").forEach(function (input) {
      input.value = today;
      if (input.type === "date") { input.max = today; }
    });
    if (item) { fill(form, item); }
    slot.appendChild(form);
    var first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first && !item) { first.focus({preventScroll: true}); }
    return form;
  }
  function fill(form, item) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !(field.name in item)) { return; }
      var value = item[field.name];
      if (field.type === "checkbox") { field.checked = (value || []).indexOf(field.value) >= 0; }
      else if (field.type === "radio") { field.checked = field.value === value; }
      else { field.value = value == null ? "" : value; }
    });
  }
  function itemOf(form) {
    var data = new FormData(form), kind = form.dataset.offline;
    var item = {
      token: form.dataset.token, seq: Number(form.dataset.seq), owner: owner, kind: kind, state: "pending",
      made_at: localStamp(new Date()), woman: Number(form.dataset.woman) || null,
      unit: Number(form.dataset.unit) || null, name: form.dataset.name || "", label: form.dataset.label || "",
      message: "", link: ""
    };
    if (form.dataset.need) { item.need = Number(form.dataset.need); }
    data.forEach(function (value, key) {
      if (key === "needs") { (item.needs = item.needs || []).push(value); }
      else { item[key] = typeof value === "string" ? value.trim() : ""; }
    });
    if (kind === "contact" && !item.needs) { item.needs = []; }
    return item;
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open]");
    if (opener && !event.defaultPrevented) {
      event.preventDefault();
      var row = opener.closest("[data-woman]");
      var holder = opener.closest("[data-need]") || row;
      var slot = holder.querySelector(":scope > [data-slot]");
      var context = {woman: row.dataset.woman, unit: row.dataset.unit, name: row.dataset.name};
      if (holder.dataset.need) { context.need = holder.dataset.need; context.label = holder.dataset.needLabel; }
      formFor(opener.dataset.open, slot, context, null);
      return;
    }
    var closer = event.target.closest("form[data-offline] [data-act=close]");
    if (closer) { closer.closest("form").remove(); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-offline]");
    if (!form) { return; }
    event.preventDefault();
    if (form.dataset.saving) { return; }  // a double tap: the first one saves it
    form.dataset.saving = "1";
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    var item = itemOf(form);
    var slot = form.parentNode;
    put(item).then(function () {
      form.remove();
      rowState(slot, item.token, msg("rowSaved"));
      status(msg("saved") + (navigator.onLine ? "" : " " + msg("offline")));
      return render();
    }).then(function () {
      if (navigator.onLine) { sync(); }
    }).catch(function () {
      delete form.dataset.saving;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      status(msg("noStorage"));
    });
  });

  /* ---- what the panel shows, and a line where she saved ---- */
  function rowState(slot, token, text) {
    if (!slot || slot.closest("#offline")) { return; }
    var line = slot.querySelector("[data-row-token='" + token + "']");
    if (!line) {
      line = document.createElement("p");
      line.className = "row-state";
      line.setAttribute("role", "status");
      line.dataset.rowToken = token;
      slot.appendChild(line);
    }
    line.textContent = text;
  }
  function markRow(item) {
    /* the woman's row (or the need's line) says what waits for it, also after a reload */
    if (item.state !== "pending" && item.state !== "refused") { return; }
    var selector = item.kind === "need_met" && item.need ? "[data-need='" + Number(item.need) + "']"
      : "[data-woman='" + Number(item.woman) + "']";
    document.querySelectorAll(selector).forEach(function (holder) {
      var slot = holder.querySelector(":scope > [data-slot]");
      rowState(slot, item.token, item.state === "pending" ? msg("rowSaved") : msg("refused") + "：" + item.message);
    });
  }
  function rowStateUpdate(item) {
    document.querySelectorAll("[data-row-token='" + item.token + "']").forEach(function (line) {
      line.textContent = msg(item.state) + (item.message ? "：" + item.message : "");
      line.dataset.state = item.state;
    });
  }
  function status(text) { panel.querySelector("[data-status]").textContent = text; }
  var KIND_LABEL = {contact: "contact", need_met: "need", help: "help"};
  function row(item) {
    var li = document.getElementById("tpl-queue-item").content.firstElementChild.cloneNode(true);
    li.dataset.token = item.token;
    li.dataset.state = item.state;
    var title = item.name + " · " + msg(KIND_LABEL[item.kind] || "contact") + (item.label ? " · " + item.label : "");
    li.querySelector("[data-f=title]").textContent = title;
    li.querySelector("[data-f=when]").textContent = item.on || "";
    li.querySelector("[data-f=state]").textContent = msg(item.state);
    li.querySelector("[data-f=message]").textContent = item.message || "";
    var link = li.querySelector("[data-f=link]");
    if (item.link && item.link.charAt(0) === "/" && item.link.charAt(1) !== "/") { link.href = item.link; link.hidden = false; }
    if (item.state === "refused") { li.querySelector("[data-act=edit]").hidden = false; }
    if (item.state === "refused" || item.state === "pending") { li.querySelector("[data-act=discard]").hidden = false; }
    if (item.kept) { li.querySelector("[data-act=dismiss]").hidden = false; }
    return li;
  }
  function render() {
    return mine().then(function (items) {
      var list = panel.querySelector("[data-queue]");
      var waiting = items.filter(function (i) { return i.state === "pending"; });
      var refused = items.filter(function (i) { return i.state === "refused"; });
      panel.querySelector("[data-count]").textContent = String(waiting.length);
      panel.querySelector("[data-fix-count]").textContent = String(refused.length);
      panel.querySelector("[data-fix-line]").hidden = !refused.length;
      list.replaceChildren.apply(list, items.map(row).concat(recent.map(row)));
      items.forEach(markRow);
      everyone().then(function (all) {
        var others = all.filter(function (i) {
          return i.owner !== owner && (i.state === "pending" || i.state === "refused");
        }).length;
        panel.querySelector("[data-others]").textContent = String(others);
        panel.querySelector("[data-others-line]").hidden = !others;
      });
      panel.hidden = false;
      showStorage();
      return items;
    }, function () {
      panel.hidden = false;
      status(msg("noStorage"));
      return [];
    });
  }
  function showStorage() {
    if (!navigator.storage || !navigator.storage.estimate) { return; }
    navigator.storage.estimate().then(function (e) {
      panel.querySelector("[data-storage]").textContent =
        msg("storage") + " " + Math.max(1, Math.round((e.usage || 0) / 1024)) + " KB";
    });
  }

  panel.addEventListener("click", function (event) {
    var opened = event.target.closest("[data-f=link]");
    if (opened) {  // a help request's case opened to add the story: the reminder has done its work
      var kept = opened.closest("[data-token]");
      if (kept) { drop(kept.dataset.token); }
      return;
    }
    var button = event.target.closest("[data-act]");
    if (!button || button.dataset.act === "close") { return; }
    var li = button.closest("[data-token]");
    mine().then(function (items) {
      var item = items.filter(function (i) { return i.token === li.dataset.token; })[0];
      if (!item) { return; }
      if (button.dataset.act === "dismiss") {
        drop(item.token).then(render);
      } else if (button.dataset.act === "discard") {
        if (window.confirm(msg("discard"))) { drop(item.token).then(render); }
      } else if (button.dataset.act === "edit") {
        formFor(item.kind, li.querySelector("[data-slot]"),
                {woman: item.woman || "", unit: item.unit || "", name: item.name, need: item.need || "",
                 label: item.label || ""}, item);
      }
    });
  });
  panel.querySelector("[data-sync]").addEventListener("click", function () { sync(); });

  /* ---- sending, in order, in chunks ---- */
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  var WIRE = ["token", "kind", "owner", "on", "made_at", "woman", "unit", "channel", "views", "help_given", "needs",
              "need_description", "follow_up_on", "need", "resolution", "case_kind", "urgency"];
  function wire(item) {
    var out = {};
    WIRE.forEach(function (key) { if (item[key] !== undefined && item[key] !== null) { out[key] = item[key]; } });
    return out;
  }
  function send(chunk) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 30000) : null;
    return fetch(panel.dataset.syncUrl, {
      method: "POST", credentials: "same-origin", signal: controller ? controller.signal : undefined,
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json"},
      body: JSON.stringify({items: chunk.map(wire)})
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 401 || response.status === 403) { throw {signedOut: true}; }
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw {rejected: true, detail: (body && typeof body.detail === "string") ? body.detail : ""};
        });
      }
      if (!response.ok) { throw {failed: true}; }
      return response.json();
    }, function () { clearTimeout(timer); throw {failed: true}; });
  }
  function sync() {
    if (syncing) { again = true; return Promise.resolve(); }
    syncing = true;
    again = false;
    panel.dataset.syncing = "1";
    return mine().then(function (items) {
      var todo = items.filter(function (i) { return i.state === "pending"; });
      var chunks = [];
      for (var i = 0; i < todo.length; i += CHUNK) { chunks.push(todo.slice(i, i + CHUNK)); }
      if (!chunks.length) { return null; }
      status(msg("sending") + "…");
      synced = 0;
      refusedNow = 0;
      var go = function (chunk) {
        return send(chunk).then(function (answer) {
          return settle(chunk, answer.results || []);
        }, function (problem) {
          if (!problem || !problem.rejected) { throw problem; }
          if (chunk.length > 1) {  // the server took none of them: find the one it will not take, send the rest
            return chunk.reduce(function (p, one) { return p.then(function () { return go([one]); }); },
                                Promise.resolve());
          }
          chunk[0].state = "refused";
          refusedNow += 1;
          chunk[0].message = problem.detail || msg("failed");
          rowStateUpdate(chunk[0]);
          return put(chunk[0]);
        });
      };
      return chunks.reduce(function (previous, chunk) {
        return previous.then(function () { return go(chunk); });
      }, Promise.resolve()).then(function () {
        retryIn = RETRY_FIRST;
        var said = synced ? msg("done").replace("%(n)s", String(synced)) : "";
        if (refusedNow) { said += (said ? " " : "") + msg("refusedSome").replace("%(n)s", String(refusedNow)); }
        status(said);
      });
    }).catch(function (problem) {
      if (problem && problem.signedOut) { signedOut(); }
      else {
        status(navigator.onLine ? msg("failed") : msg("offline"));
        if (navigator.onLine) { retryLater(); }
      }
    }).then(function () {
      syncing = false;
      delete panel.dataset.syncing;
      return render();
    }).then(function () {
      if (again && navigator.onLine) { return sync(); }
      return null;
    });
  }
  function settle(chunk, results) {
    var byToken = {};
    results.forEach(function (r) { byToken[r.token] = r; });
    return chunk.reduce(function (previous, item) {
      return previous.then(function () {
        var result = byToken[item.token];
        if (!result) { return null; }
        item.message = result.message || "";
        item.link = result.link || "";
        if (result.state === "refused") {
          item.state = "refused";
          refusedNow += 1;
          rowStateUpdate(item);
          return put(item);
        }
        item.state = result.state;
        synced += 1;
        rowStateUpdate(item);
        if (item.kind === "help" && item.link) {  // kept until she opens the case to add the story
          item.kept = true;
          return put(item);
        }
        recent.unshift(item);
        if (item.kind === "need_met" && item.need) {  // met: no second tap on a need already done
          document.querySelectorAll("[data-need='" + Number(item.need) + "']").forEach(function (need) {
            need.dataset.done = "1";
          });
        }
        return drop(item.token);
      });
    }, Promise.resolve());
  }
  function signedOut() {
    var status_ = panel.querySelector("[data-status]");
    status_.textContent = msg("signedOut") + " ";
    var link = document.createElement("a");
    link.href = panel.dataset.loginUrl;
    link.textContent = msg("signin");
    link.className = "button";
    status_.appendChild(link);
  }

  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { status(msg("offline")); });

  /* ---- the page kept for a reload without a signal (when the browser has service workers) ---- */
  function keepPage() {
    if (!("serviceWorker" in navigator) || !navigator.onLine) { return; }
    navigator.serviceWorker.register("/sw.js", {scope: "/today/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var assets = [];
      document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]").forEach(
        function (node) { assets.push(node.src || node.href); });
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data && event.data.kept) { panel.dataset.kept = "1"; }
        showStorage();
      };
      registration.active.postMessage({type: "keep", assets: assets}, [channel.port2]);
    }).catch(function () { /* no worker (blocked, private mode): the open page still queues */ });
  }

  render().then(function (items) {
    if (!navigator.onLine) { status(msg("offline")); }
    else if (items.some(function (i) { return i.state === "pending"; })) { sync(); }
    panel.dataset.ready = "1";
  });
  keepPage();
}());
