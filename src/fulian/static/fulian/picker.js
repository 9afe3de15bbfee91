/* The place picker (core/picker.py): search as she types, tap a row to pick it. No <datalist> (unreliable in
   WeChat's browser). Every name comes from the server as data and goes into the page as text nodes only.
   Without this script the typed text is posted and the server resolves it. */
(function () {
  "use strict";

  function setUp(box) {
    var input = box.querySelector("input[type=text]");
    var key = box.querySelector("[data-picker-key]");
    var list = box.querySelector(".picker-list");
    if (!input || !key || !list || box.hasAttribute("data-picker-ready")) { return; }
    box.setAttribute("data-picker-ready", "");
    var timer = null, sequence = 0, active = -1, results = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) { items[i].setAttribute("aria-selected", i === active ? "true" : "false"); }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function pick(place) {
      input.value = place.label;
      key.value = place.code;
      var offer = box.querySelector("[data-picker-offer]");
      if (offer) { offer.parentNode.removeChild(offer); }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(places) {
      results = places;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      if (!places.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = box.getAttribute("data-picker-empty") || "";
        list.appendChild(none);
      }
      places.forEach(function (place, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("strong");
        name.textContent = place.name;
        item.appendChild(name);
        if (place.context) {
          var context = document.createElement("small");
          context.textContent = place.context;
          item.appendChild(context);
        }
        /* mousedown keeps the focus in the input, so the list is not closed by blur before the tap lands */
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { pick(place); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var url = new URL(box.getAttribute("data-picker-url"), window.location.href);
      url.searchParams.set("q", q.slice(0, 50));
      var mine = ++sequence;
      var request = new XMLHttpRequest();
      request.open("GET", url.toString());
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        if (mine !== sequence || request.status !== 200) { return; }  /* a later keystroke has its own answer */
        try { show(JSON.parse(request.responseText).results || []); } catch (e) { close(); }
      };
      request.send();
    }

    input.addEventListener("input", function () {
      key.value = "";  /* what she types now is no longer the place she picked */
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0 && results[active]) { event.preventDefault(); pick(results[active]); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    var offer = box.querySelector("[data-picker-offer]");
    if (offer) {
      offer.addEventListener("change", function () { key.value = ""; });
    }
  }

  function start() {
    var boxes = document.querySelectorAll("[data-picker]");
    for (var i = 0; i < boxes.length; i++) { setUp(boxes[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
