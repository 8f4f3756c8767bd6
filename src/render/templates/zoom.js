// Screenshots open full size in an overlay. A zoomable image is a link to the original with
// class "zoom" (the build wraps resized screenshots in one; without this script the link simply
// opens the original), or a content image shown narrower than its file (marked here as a
// button). Click, Enter or Space opens a modal <dialog>; Escape, the close button or a click
// on the backdrop closes it, and focus returns to the image. No framework.
(function () {
  "use strict";
  var dialog = null, big = null, opener = null;

  function ensure() {
    if (dialog) return;
    dialog = document.createElement("dialog");
    dialog.className = "zoom-overlay";
    dialog.setAttribute("aria-label", "Full-size image");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "zoom-close";
    close.setAttribute("aria-label", "Close the full-size image");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { dialog.close(); });
    big = document.createElement("img");
    dialog.appendChild(close);
    dialog.appendChild(big);
    dialog.addEventListener("click", function (e) {
      if (e.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", function () {
      big.removeAttribute("src");
      if (opener) opener.focus();
    });
    document.body.appendChild(dialog);
  }

  function open(src, alt, from) {
    ensure();
    opener = from;
    big.src = src;
    big.alt = alt || "";
    dialog.showModal();
  }

  function target(e) {
    return e.target && e.target.closest ? e.target : null;
  }

  document.addEventListener("click", function (e) {
    var t = target(e);
    if (!t || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var link = t.closest("a.zoom");
    if (link) {
      e.preventDefault();
      var img = link.querySelector("img");
      open(link.href, img ? img.alt : "", link);
      return;
    }
    var plain = t.closest("img[data-zoom]");
    if (plain) open(plain.currentSrc || plain.src, plain.alt, plain);
  });

  document.addEventListener("keydown", function (e) {
    var t = target(e);
    if (!t || (e.key !== "Enter" && e.key !== " ") || !t.matches("img[data-zoom]")) return;
    e.preventDefault();
    open(t.currentSrc || t.src, t.alt, t);
  });

  function mark(img) {
    if (img.closest("a") || img.naturalWidth <= img.clientWidth + 1) return;
    img.setAttribute("data-zoom", "");
    img.setAttribute("tabindex", "0");
    img.setAttribute("role", "button");
    img.setAttribute("aria-label", (img.alt || "Image") + " (open full size)");
  }

  function scan() {
    var imgs = document.querySelectorAll(".content img");
    for (var i = 0; i < imgs.length; i++) {
      var img = imgs[i];
      if (img.complete) mark(img);
      else img.addEventListener("load", mark.bind(null, img), { once: true });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
