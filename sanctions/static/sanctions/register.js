// Keep an open register up to date: every few seconds ask whether it changed (a tiny JSON
// answer), and reload the list only then, and never while the officer is typing in it.
(function () {
  "use strict";
  var box = document.getElementById("register");
  if (!box) return;
  var every = 8000;

  function typing() {
    var active = document.activeElement;
    return active && box.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function refresh() {
    fetch(box.dataset.url + "?partial=1", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        box.innerHTML = html;
        if (window.htmx) window.htmx.process(box);
      })
      .catch(function () {});
  }

  function check() {
    if (document.hidden || typing()) return;
    fetch(box.dataset.url + "?version=1", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (data.version !== box.dataset.version) {
          box.dataset.version = data.version;
          refresh();
        }
      })
      .catch(function () {});
  }

  // After this page's own htmx change, take the new fingerprint so it doesn't reload itself.
  document.body.addEventListener("htmx:afterSwap", function () {
    fetch(box.dataset.url + "?version=1", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { box.dataset.version = data.version; })
      .catch(function () {});
  });
  setInterval(check, every);
  document.addEventListener("visibilitychange", check);
})();
