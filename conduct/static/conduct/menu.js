/* The main menu on a phone: folded behind one "Menu" button so the header takes one row.
 * Without JavaScript the menu simply shows (the page adds the "js" class only when this runs).
 * Wide screens show the menu inline and never the button (conduct.css). */
(function () {
  "use strict";
  var button = document.querySelector(".site-header .menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  var header = button.closest(".site-header");
  button.hidden = false;

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", function (evt) {
    if (header.classList.contains("menu-open") && !header.contains(evt.target)) setOpen(false);
  });
})();
