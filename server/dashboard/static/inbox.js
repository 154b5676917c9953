// Touchpoint inbox: keyboard triage. j/k move between comments; r, e and s mark the
// focused one read, resolved or spam by pressing that row's own button (a plain form post,
// so the page works the same without this file). When the triaged row leaves the list (spam,
// or a status the filter hides), the row that took its place gets the focus. Loaded as a
// file: no inline script.
"use strict";

(function () {
  var KEYS = { r: "read", e: "resolved", s: "spam" };
  var NEIGHBOUR = "touchpoint-inbox-neighbour";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(".inbox-row"));
  }

  function focusedRow() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".inbox-row") : null;
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(focusedRow());
    var next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    all[next].focus();
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  // The row below `row` (or above, for the last one), to focus if `row` leaves the list.
  function rememberNeighbour(row) {
    var neighbour = row.nextElementSibling || row.previousElementSibling;
    try {
      if (neighbour && neighbour.id) window.sessionStorage.setItem(NEIGHBOUR, neighbour.id);
    } catch (ignored) {
      // Storage refused (private mode, quota): the focus simply starts from the top.
    }
  }

  function takeNeighbour() {
    try {
      var id = window.sessionStorage.getItem(NEIGHBOUR);
      window.sessionStorage.removeItem(NEIGHBOUR);
      return id ? document.getElementById(id) : null;
    } catch (ignored) {
      return null;
    }
  }

  function focusTriagedRow() {
    var neighbour = takeNeighbour();
    var triaged = document.getElementById(window.location.hash.slice(1));
    var target = triaged && triaged.classList.contains("inbox-row") ? triaged : neighbour;
    if (target && target.classList.contains("inbox-row")) target.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      move(event.key === "j" ? 1 : -1);
      return;
    }
    var status = KEYS[event.key];
    var row = focusedRow();
    if (!status || !row) return;
    var button = row.querySelector('button[name="status"][value="' + status + '"]');
    if (button) {
      event.preventDefault();
      rememberNeighbour(row);
      button.click();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Come back to the row just triaged (or the one in its place), so j/k carry on from there.
    focusTriagedRow();
    var all = document.getElementById("inbox-select-all");
    if (!all) return;
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"][form="inbox-bulk"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
