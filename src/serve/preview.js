/* stepbook serve: live reload and in-page findings (never in `build` output). */
(function () {
  "use strict";
  var gen = window.__stepbookGeneration;
  var checked = window.__stepbookChecked;
  var key = "stepbook-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  var INLINE = { A: 1, IMG: 1, CODE: 1, SPAN: 1, EM: 1, STRONG: 1, DEL: 1, SUP: 1, SUB: 1, KBD: 1 };

  /* The bar goes at the top of the page's content, in the flow: it never covers anything. */
  function place(root) {
    var at = document.querySelector(".page-head") || document.querySelector("article") ||
      document.querySelector("main") || document.body;
    if (root.parentNode !== at || at.firstElementChild !== root) { at.insertBefore(root, at.firstChild); }
  }

  function ranges() {
    var out = [];
    var els = document.querySelectorAll("[data-sb-src]");
    for (var i = 0; i < els.length; i++) {
      var r = els[i].getAttribute("data-sb-src").split("-");
      out.push({ el: els[i], s: Number(r[0]), e: Number(r[1]) });
    }
    return out;
  }

  /* The element whose source range holds `s` (the innermost), else the nearest one. */
  function target(all, s, e) {
    var best = null, near = null, dist = Infinity;
    for (var i = 0; i < all.length; i++) {
      var c = all[i];
      var inside = c.s <= s && (s < c.e || (s === e && s === c.e));
      if (inside && (!best || c.e - c.s < best.e - best.s)) { best = c; }
      var d = s < c.s ? c.s - s : (s >= c.e ? s - c.e + 1 : 0);
      if (!INLINE[c.el.tagName] && d < dist) { dist = d; near = c; }
    }
    return (best || near || { el: null }).el;
  }

  /* Where the note of a marked element goes: after its block (inside a list item). */
  function host(el) {
    var h = el;
    while (h && INLINE[h.tagName] && h.parentElement) { h = h.parentElement; }
    var cell = h.closest && h.closest("td, th, thead, tbody, tr");
    if (cell) { h = cell.closest("table") || h; }
    return h;
  }

  function clearMarks() {
    var notes = document.querySelectorAll(".sb-notes");
    for (var i = 0; i < notes.length; i++) { notes[i].remove(); }
    var marked = document.querySelectorAll(".sb-marked");
    for (var j = 0; j < marked.length; j++) { marked[j].classList.remove("sb-marked", "sb-error", "sb-warning"); }
  }

  function applyMarks() {
    clearMarks();
    var panel = document.getElementById("stepbook-findings");
    if (!panel) { return; }
    var items = panel.querySelectorAll("ol.sb-page > li[data-start]");
    var all = ranges();
    var groups = [];
    for (var i = 0; i < items.length; i++) {
      var li = items[i];
      var el = target(all, Number(li.getAttribute("data-start")), Number(li.getAttribute("data-end")));
      if (!el) { continue; }
      var level = li.getAttribute("data-level");
      if (!el.classList.contains("sb-error")) {
        el.classList.remove("sb-warning");
        el.classList.add("sb-marked", level === "error" ? "sb-error" : "sb-warning");
      }
      var h = host(el);
      var group = null;
      for (var g = 0; g < groups.length; g++) { if (groups[g].host === h) { group = groups[g]; } }
      if (!group) {
        var box = document.createElement("div");
        box.className = "sb-notes";
        box.setAttribute("role", "note");
        group = { host: h, box: box };
        groups.push(group);
        if (h.tagName === "LI" || h.tagName === "DD") { h.appendChild(box); } else { h.insertAdjacentElement("afterend", box); }
      }
      var note = document.createElement("div");
      note.className = "sb-note " + level;
      note.id = "sb-f-" + li.getAttribute("data-index");
      note.innerHTML = li.querySelector("template").innerHTML;
      group.box.appendChild(note);
    }
  }

  function go(id) {
    var note = document.getElementById(id);
    if (!note) { return false; }
    var details = note.closest("details");
    if (details) { details.open = true; }
    note.scrollIntoView({ block: "center" });
    note.classList.remove("sb-flash");
    void note.offsetWidth;
    note.classList.add("sb-flash");
    return true;
  }

  function wirePanel() {
    var root = document.getElementById("stepbook-panel-root");
    var panel = document.getElementById("stepbook-findings");
    if (!root || !panel) { return; }
    place(root);
    var details = panel.querySelector("details");
    var state = sessionStorage.getItem("stepbook-panel");
    var phone = window.matchMedia("(max-width: 700px)").matches;
    details.open = state ? state === "open" : (!phone && panel.getAttribute("data-findings") !== "0");
    /* Only the reader's own choice is kept: a click on the summary (keyboard activation is a
       click too). A toggle event also fires for the `open` the page was parsed with, and for
       the state set just above, so it cannot tell. */
    details.querySelector("summary").addEventListener("click", function () {
      sessionStorage.setItem("stepbook-panel", details.open ? "closed" : "open");
    });
    var links = panel.querySelectorAll("ol.sb-page a.sb-go");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (ev) {
        var id = this.getAttribute("href").slice(1);
        if (go(id)) { ev.preventDefault(); history.replaceState(null, "", "#" + id); }
      });
    }
    applyMarks();
  }

  function start() {
    wirePanel();
    if (location.hash.indexOf("#sb-f-") === 0) { go(location.hash.slice(1)); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }

  function refreshPanel(to) {
    fetch("/__stepbook/panel?path=" + encodeURIComponent(location.pathname), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var old = document.getElementById("stepbook-panel-root");
        if (old) { old.remove(); }
        clearMarks();
        if (html) { document.body.insertAdjacentHTML("beforeend", html); wirePanel(); }
        checked = to;
      });
  }
  var delay = 200;
  function connect() {
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(proto + "//" + location.host + "/__stepbook/ws");
    ws.onopen = function () { delay = 200; };
    ws.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (typeof msg.generation === "number" && msg.generation !== gen) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      } else if (typeof msg.checked === "number" && msg.checked !== checked) {
        refreshPanel(msg.checked);
      }
    };
    ws.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 3000);
    };
  }
  connect();
})();
