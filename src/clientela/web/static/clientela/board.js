/* The deals board: drag a card to another column and the deal moves there.
 *
 * The server keeps the truth. A move is posted with the stage the card was seen in; the answer
 * is the board's columns as they are now (after this move, or after someone else's, with the
 * message), which replace the old ones. A won or lost column first asks for the purchase or
 * the reason in a dialog; cancelling it puts the card back. Without this script every card
 * still moves with its stage select and "Move" button, and the question is a page of its own.
 */
(function () {
  "use strict";

  var dragged = null; // the card being dragged
  var pending = null; // {card, parent, next}: where a card came from, until its move is settled
  var settled = false; // the dialog closes because the move is done, not cancelled

  function board() {
    return document.getElementById("board");
  }

  function dialog() {
    return document.getElementById("move-dialog");
  }

  function dialogBody() {
    return document.getElementById("move-dialog-body");
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      return headers["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function boardQuery() {
    return window.location.search.replace(/^\?/, "");
  }

  function closest(target, selector) {
    return target && target.closest ? target.closest(selector) : null;
  }

  function remember(card) {
    pending = { card: card, parent: card.parentNode, next: card.nextSibling };
  }

  function putBack() {
    if (pending && pending.parent && pending.parent.isConnected) {
      pending.parent.insertBefore(pending.card, pending.next);
      pending.card.classList.remove("pending");
    }
    pending = null;
  }

  function placeIn(card, stage) {
    var list = board().querySelector('.board-column[data-stage="' + stage + '"] ol.cards');
    if (list) {
      list.insertBefore(card, list.firstChild);
    }
    card.classList.add("pending");
  }

  function showMessage(text) {
    var box = document.getElementById("board-messages");
    if (!box) {
      return;
    }
    var line = document.createElement("p");
    line.className = "message error";
    line.textContent = text;
    box.replaceChildren(line);
  }

  function failed() {
    putBack();
    closeDialog();
    showMessage(board().dataset.msgFailed || "");
  }

  function replaceBoard(html, focusDeal) {
    var target = board();
    target.innerHTML = html;
    if (window.htmx) {
      window.htmx.process(target);
    }
    pending = null;
    if (focusDeal) {
      // A move made from the keyboard keeps the keyboard on the moved card.
      var select = document.getElementById("move-" + focusDeal);
      if (select) {
        select.focus();
      }
    }
  }

  function openDialog(html) {
    var box = dialog();
    dialogBody().innerHTML = html;
    if (window.htmx) {
      window.htmx.process(dialogBody());
    }
    if (!box.open) {
      settled = false;
      box.showModal();
    }
    var first = dialogBody().querySelector(
      ".invalid input, .invalid select, input:not([type=hidden]), select, textarea"
    );
    if (first) {
      first.focus();
    }
  }

  function closeDialog() {
    var box = dialog();
    if (box && box.open) {
      settled = true;
      box.close();
    }
  }

  function answer(response, focusDeal) {
    return response.text().then(function (html) {
      if (response.headers.get("X-Move-Question")) {
        // The server asks (again, with the errors named) for the purchase or the reason.
        openDialog(html);
      } else if (response.ok || response.status === 409) {
        closeDialog();
        replaceBoard(html, focusDeal);
      } else {
        failed();
      }
    });
  }

  function post(url, body, focusDeal) {
    body.set("board_query", boardQuery());
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true", "HX-Target": "board" },
    })
      .then(function (response) {
        return answer(response, focusDeal);
      })
      .catch(failed);
  }

  function ask(card, stage) {
    var params = new URLSearchParams({
      stage: stage,
      from_stage: card.dataset.stage,
      next: window.location.pathname + window.location.search,
      board_query: boardQuery(),
    });
    fetch(card.dataset.moveUrl + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "HX-Request": "true", "HX-Target": "board" },
    })
      .then(function (response) {
        return answer(response, null);
      })
      .catch(failed);
  }

  function move(card, stage, kind, fromKeyboard) {
    if (!stage || String(stage) === card.dataset.stage) {
      return;
    }
    remember(card);
    placeIn(card, stage);
    if (kind === "won" || kind === "lost") {
      ask(card, stage);
      return;
    }
    var body = new FormData();
    body.set("stage", stage);
    body.set("from_stage", card.dataset.stage);
    post(card.dataset.moveUrl, body, fromKeyboard ? card.dataset.deal : null);
  }

  function clearTargets() {
    document.querySelectorAll(".board-column.drop-target").forEach(function (column) {
      column.classList.remove("drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = closest(event.target, "#board .deal-card[draggable=true]");
    if (!card) {
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("dragging");
    }
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) {
      return;
    }
    var column = closest(event.target, "#board .board-column");
    if (!column) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearTargets();
      column.classList.add("drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = closest(event.target, "#board .board-column");
    if (!dragged || !column) {
      return;
    }
    event.preventDefault();
    var card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    clearTargets();
    move(card, column.dataset.stage, column.dataset.kind, false);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (closest(form, "#move-dialog")) {
      event.preventDefault();
      var focusDeal = pending && pending.card.dataset.deal;
      post(form.action, new FormData(form), focusDeal);
      return;
    }
    var card = closest(form, "#board .deal-card");
    if (!card || !form.classList.contains("move-form")) {
      return;
    }
    event.preventDefault();
    var select = form.querySelector("select[name=stage]");
    var option = select.options[select.selectedIndex];
    move(card, select.value, option ? option.dataset.kind : "", true);
  });

  document.addEventListener("keydown", function (event) {
    // Enter on a card's stage select moves the card, as the "Move" button beside it does.
    var select = closest(event.target, "#board .move-form select");
    if (select && event.key === "Enter" && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      select.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    if (closest(event.target, "#move-dialog [data-cancel]")) {
      event.preventDefault();
      dialog().close();
    }
  });

  document.addEventListener(
    "close",
    function (event) {
      if (event.target === dialog()) {
        if (!settled) {
          putBack(); // cancelled: the deal stays where it was
        }
        settled = false;
        dialogBody().replaceChildren();
      }
    },
    true
  );
})();
