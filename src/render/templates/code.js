// stepbook code blocks: reveals the copy buttons (written hidden, so a page read without
// JavaScript shows no dead button) and copies the code as shown: hidden lines of a Rust block
// are left out while they are hidden.
(function () {
  "use strict";

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      area.remove();
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function say(button, text) {
    button.textContent = text;
    clearTimeout(button.stepbookTimer);
    button.stepbookTimer = setTimeout(function () {
      button.textContent = "Copy";
    }, 1500);
  }

  function init() {
    var buttons = document.querySelectorAll(".code-block .code-copy");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      button.setAttribute("aria-live", "polite");
      button.addEventListener("click", function (ev) {
        var b = ev.currentTarget;
        var code = b.closest(".code-block").querySelector("code");
        copy(code.innerText).then(
          function () { say(b, "Copied"); },
          function () { say(b, "Copy failed"); }
        );
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
