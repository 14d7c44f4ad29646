/* The header stays on one line: when the main navigation does not fit beside the brand and the tools
   (narrow screens, long English labels, more entries), it folds behind a menu button. Without JavaScript
   the button stays hidden and the navigation wraps, as before. */
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) { return; }
  var root = document.documentElement;
  var inner = nav.parentNode;
  var phone = window.matchMedia("(max-width: 700px)");
  root.classList.add("has-nav-toggle");
  button.hidden = false;

  function setOpen(open) {
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  }

  function fit() {
    var open = nav.classList.contains("is-open");
    root.classList.remove("nav-collapsed");
    if (phone.matches || inner.scrollWidth > inner.clientWidth + 1) {
      root.classList.add("nav-collapsed");
    } else if (open) {
      setOpen(false);
    }
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
  // "More": show which of its pages is open, and close it on Escape or a click elsewhere, as a menu would.
  var more = nav.querySelector(".nav-more details");
  if (more) {
    if (more.querySelector("[aria-current]")) { more.querySelector("summary").classList.add("is-current"); }
    document.addEventListener("click", function (event) {
      if (more.open && !more.contains(event.target)) { more.open = false; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) {
        more.open = false;
        more.querySelector("summary").focus();
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(fit);
  });
  fit();
})();
