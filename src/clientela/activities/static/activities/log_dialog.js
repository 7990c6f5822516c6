// Opens "Log a call" (and a meeting, an email, a note, a task) in a dialog over the page the
// link is on. The links stay ordinary links: without JavaScript, with a modifier key or in a
// new tab they open the full form page, which leads back to the page afterwards.
(function () {
  "use strict";

  var FORM_PATH = /^\/(activities\/(call|meeting|email|note)|tasks)\/new\/$/;
  var BODY_ID = "activity-dialog-body";

  function dialog() {
    var box = document.getElementById("activity-dialog");
    if (box) return box;
    box = document.createElement("dialog");
    box.id = "activity-dialog";
    box.className = "activity-dialog";
    box.setAttribute("aria-labelledby", "activity-dialog-title");
    var body = document.createElement("div");
    body.id = BODY_ID;
    box.appendChild(body);
    document.body.appendChild(box);
    box.addEventListener("click", function (event) {
      // A click on the backdrop (the dialog itself, outside its content) or on Cancel closes it.
      if (event.target === box || event.target.closest("[data-dialog-close]")) {
        event.preventDefault();
        box.close();
      }
    });
    box.addEventListener("close", function () {
      body.innerHTML = "";
    });
    return box;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    if (!window.htmx || typeof HTMLDialogElement === "undefined") return;
    if (link.closest("#activity-dialog")) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !FORM_PATH.test(url.pathname)) return;
    event.preventDefault();
    if (!url.searchParams.has("next")) {
      url.searchParams.set("next", window.location.pathname + window.location.search);
    }
    var box = dialog();
    window.htmx
      .ajax("GET", url.pathname + url.search, { target: "#" + BODY_ID, swap: "innerHTML" })
      .then(function () {
        if (!document.getElementById(BODY_ID).children.length) {
          // Refused or failed (not allowed, gone): the full page says why.
          window.location.href = link.href;
          return;
        }
        if (!box.open) box.showModal();
        var first =
          box.querySelector("[autofocus]") ||
          box.querySelector("input:not([type=hidden]):not([type=radio]), select, textarea");
        if (first) first.focus();
      });
  });
})();
