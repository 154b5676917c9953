// Touchpoint inbox: keyboard triage. j/k move between comments; r, e and s mark the
// focused one read, resolved or spam by pressing that row's own button (a plain form post,
// so the page works the same without this file). When the triaged row leaves the list (spam,
// or a status the filter hides), the row that took its place gets the focus. Loaded as a
// file: no inline script.
"use strict";

(function () {
  var KEYS = { r: "read", e: "resolved", s: "spam" };
  var PLACE = "touchpoint-inbox-place";

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

  // Where `row` stands in the list, to focus whatever stands there if `row` leaves it: the
  // next row, one pulled up from the next page, or the new last row.
  function rememberPlace(row) {
    try {
      window.sessionStorage.setItem(PLACE, String(rows().indexOf(row)));
    } catch (ignored) {
      // Storage refused (private mode, quota): the focus simply starts from the top.
    }
  }

  function takePlace() {
    try {
      var place = window.sessionStorage.getItem(PLACE);
      window.sessionStorage.removeItem(PLACE);
      return place === null ? -1 : Number(place);
    } catch (ignored) {
      return -1;
    }
  }

  function focusTriagedRow() {
    var place = takePlace();
    var triaged = document.getElementById(window.location.hash.slice(1));
    var all = rows();
    var target = triaged && triaged.classList.contains("inbox-row") ? triaged : null;
    if (!target && place >= 0 && all.length) target = all[Math.min(place, all.length - 1)];
    if (!target && place < 0 && /^#row-\d+$/.test(window.location.hash)) {
      // A link (an alert's, say) to a comment this list does not hold: say so.
      var missing = document.getElementById("inbox-missing");
      if (missing) missing.hidden = false;
    }
    if (!target) return;
    target.focus();
    // The address names the row that has the focus, so a reload or Back finds it again.
    if (target !== triaged) window.history.replaceState(null, "", "#" + target.id);
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
      rememberPlace(row);
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
