// stepbook search: the box in the top bar (written hidden, shown by this script).
//
// Full-text search runs Pagefind's index (pagefind/pagefind.js, loaded on first use, with the
// other shards of a large site's index merged into it). Where the
// browser refuses to load it (a page opened from file://, whose scripts may not fetch files),
// the box searches the page titles of the sidebar instead and says so.
//
// Keys: "/" or "s" focuses the box; Up/Down move through results; Enter opens one; Escape
// closes the list, then leaves the box.
(function () {
  "use strict";
  var box, input, list, root;
  var loading = null;
  var results = [];
  var active = -1;
  var seq = 0;
  var timer = null;
  var MAX = 10;

  function load() {
    if (loading) return loading;
    if (location.protocol === "file:") {
      loading = Promise.resolve(null);
      return loading;
    }
    var bundle = new URL(root + "pagefind/", location.href);
    // Result URLs are site paths; the site root's path makes them absolute, in every shard.
    var base = new URL(root || "./", location.href).pathname;
    // A large site's index is split into shards (pagefind/shard-K/, listed in
    // stepbook-shards.json), merged into the first one with Pagefind's mergeIndex.
    var shards = fetch(new URL("stepbook-shards.json", bundle).href)
      .then(function (r) { return r.ok ? r.json() : []; })
      .catch(function () { return []; });
    loading = import(new URL("pagefind.js", bundle).href)
      .then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: base }))
          .then(function () { return shards; })
          .then(function (list) {
            return Promise.all((list || []).map(function (dir) {
              return pf.mergeIndex(new URL(dir, bundle).pathname, { baseUrl: base });
            }));
          })
          .then(function () { return pf; });
      })
      .catch(function () { return null; });
    return loading;
  }

  function fullText(pf, q) {
    return pf.search(q).then(function (found) {
      var top = found && found.results ? found.results.slice(0, MAX) : [];
      return Promise.all(top.map(function (r) { return r.data(); }));
    }).then(function (data) {
      return {
        note: null,
        items: data.map(function (d) {
          return { url: d.url, title: (d.meta && d.meta.title) || d.url, excerpt: d.excerpt || "" };
        })
      };
    });
  }

  function titles(q) {
    var words = q.toLowerCase().split(/\s+/).filter(Boolean);
    var links = document.querySelectorAll("#sidebar-tree a[href]");
    var items = [];
    for (var i = 0; i < links.length && items.length < MAX; i++) {
      var text = links[i].textContent;
      var lower = text.toLowerCase();
      if (words.every(function (w) { return lower.indexOf(w) >= 0; })) {
        items.push({ url: links[i].href, title: text, excerpt: "" });
      }
    }
    return {
      note: "Titles only: full-text search needs the site served over http (stepbook serve, or any web server).",
      items: items
    };
  }

  function run() {
    var q = input.value.trim();
    var mine = ++seq;
    if (!q) {
      close();
      return;
    }
    load()
      .then(function (pf) { return pf ? fullText(pf, q) : titles(q); })
      .catch(function () { return titles(q); })
      .then(function (found) {
        if (mine === seq) show(found, q);
      });
  }

  function show(found, q) {
    results = found.items;
    active = -1;
    list.replaceChildren();
    if (found.note) {
      var note = document.createElement("li");
      note.className = "search-note";
      note.setAttribute("role", "presentation");
      note.textContent = found.note;
      list.appendChild(note);
    }
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "search-empty";
      empty.setAttribute("role", "presentation");
      empty.textContent = "No results for \u201c" + q + "\u201d";
      list.appendChild(empty);
    }
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "search-result-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = r.url;
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = r.title;
      a.appendChild(title);
      if (r.excerpt) {
        var excerpt = document.createElement("span");
        excerpt.className = "search-excerpt";
        excerpt.innerHTML = r.excerpt; // Pagefind's excerpt: escaped text with <mark> around hits.
        a.appendChild(excerpt);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function move(to) {
    if (!results.length) return;
    active = (to + results.length) % results.length;
    var options = list.querySelectorAll("[role=option]");
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function init() {
    box = document.getElementById("search");
    if (!box) return;
    input = document.getElementById("search-input");
    list = document.getElementById("search-results");
    root = box.getAttribute("data-root") || "";
    box.hidden = false;
    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (list.hidden && input.value.trim()) run();
        else move(active + 1);
      } else if (ev.key === "ArrowUp") {
        ev.preventDefault();
        move(active - 1);
      } else if (ev.key === "Enter") {
        var pick = results[active >= 0 ? active : 0];
        if (pick && !list.hidden) {
          ev.preventDefault();
          location.href = pick.url;
        }
      } else if (ev.key === "Escape") {
        if (!list.hidden) close();
        else input.blur();
      }
    });
    box.addEventListener("focusout", function (ev) {
      if (!box.contains(ev.relatedTarget)) close();
    });
    list.addEventListener("mousedown", function (ev) {
      ev.preventDefault(); // keep focus in the box until the link is followed
    });
    document.addEventListener("keydown", function (ev) {
      if ((ev.key === "/" || ev.key === "s") && !ev.ctrlKey && !ev.metaKey && !ev.altKey &&
          !typing(document.activeElement)) {
        ev.preventDefault();
        input.focus();
        input.select();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
