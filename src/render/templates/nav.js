// stepbook navigation: the whole sidebar of the site, written once and inserted into every
// page by this script. Each page also carries its own section inline, so it reads without
// JavaScript; this script only replaces that section with the full tree.
(function () {
  "use strict";
  // k: "ch" chapter, "part" part title, "sep" separator; t: title; n: number; u: site path; c: children.
  var tree = {{ tree | safe }};

  function count(list) {
    var n = 0;
    for (var i = 0; i < list.length; i++) {
      n += 1;
      if (list[i].c) n += count(list[i].c);
    }
    return n;
  }

  function href(root, path) {
    // A link of MkDocs' nav to another site is kept as written.
    if (path.charAt(0) === "/" || path.indexOf("://") >= 0 || path.indexOf("mailto:") === 0) {
      return path;
    }
    return root + path.split("/").map(encodeURIComponent).join("/");
  }

  function init() {
    var box = document.getElementById("sidebar-tree");
    if (!box) return;
    var root = box.getAttribute("data-root") || "";
    var here = box.getAttribute("data-page") || "";
    var collapse = count(tree) > 60;
    var active = null;

    function contains(e) {
      if (e.u === here) return true;
      if (!e.c) return false;
      for (var i = 0; i < e.c.length; i++) if (contains(e.c[i])) return true;
      return false;
    }

    function label(e) {
      var el = document.createElement(e.u ? "a" : "span");
      if (e.u) el.href = href(root, e.u);
      else el.className = "nav-draft";
      if (e.u === here) el.setAttribute("aria-current", "page");
      if (e.n) {
        var num = document.createElement("span");
        num.className = "nav-num";
        num.textContent = e.n;
        el.appendChild(num);
        el.appendChild(document.createTextNode(" "));
      }
      el.appendChild(document.createTextNode(e.t));
      return el;
    }

    function list(entries) {
      var ol = document.createElement("ol");
      for (var i = 0; i < entries.length; i++) {
        var e = entries[i];
        var li = document.createElement("li");
        if (e.k === "part") {
          li.className = "nav-part";
          li.textContent = e.t;
        } else if (e.k === "sep") {
          li.className = "nav-sep";
          li.setAttribute("role", "separator");
        } else {
          if (e.u === here) {
            li.className = "active";
            active = li;
          }
          if (e.c) {
            var d = document.createElement("details");
            d.open = !collapse || contains(e);
            var s = document.createElement("summary");
            s.appendChild(label(e));
            d.appendChild(s);
            d.appendChild(list(e.c));
            li.appendChild(d);
          } else {
            li.appendChild(label(e));
          }
        }
        ol.appendChild(li);
      }
      return ol;
    }

    var ol = list(tree);
    ol.className = "nav-tree";
    box.replaceChildren(ol);
    var side = box.closest(".sidebar");
    if (active && side) {
      var top = active.getBoundingClientRect().top - side.getBoundingClientRect().top;
      if (top > side.clientHeight * 0.6) side.scrollTop = top - side.clientHeight / 3;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
