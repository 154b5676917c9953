// Touchpoint inbox: keyboard triage. j/k move between comments; r, e and s mark the
// focused one read, resolved or spam by pressing that row's own button (a plain form post,
// so the page works the same without this file). Loaded as a file: no inline script.
"use strict";

(function () {
  var KEYS = { r: "read", e: "resolved", s: "spam" };

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
      button.click();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("inbox-select-all");
    if (!all) return;
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"][form="inbox-bulk"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
    // Come back to the row just triaged, so j/k carry on from there.
    var focus = document.getElementById(window.location.hash.slice(1));
    if (focus && focus.classList.contains("inbox-row")) focus.focus();
  });
})();
