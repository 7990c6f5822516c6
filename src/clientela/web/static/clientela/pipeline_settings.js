// Drag a stage's row to reorder the stages of a pipeline; the ↑ ↓ buttons do the same without
// JavaScript. The new order is posted to the page's reorder address, then the page reloads.
(function () {
  "use strict";
  const table = document.querySelector("table.stages[data-reorder-url]");
  if (!table) return;
  const body = table.tBodies[0];
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  let dragged = null;

  body.querySelectorAll("tr[data-stage]").forEach((row) => {
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragend", () => row.classList.remove("dragging"));
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? row.nextSibling : row);
    });
  });

  body.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    dragged = null;
    const form = new FormData();
    body.querySelectorAll("tr[data-stage]").forEach((row) => form.append("stage", row.dataset.stage));
    fetch(table.dataset.reorderUrl, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": token ? token.value : "", "HX-Request": "true" },
      credentials: "same-origin",
    }).finally(() => window.location.reload());
  });
})();
