// Touchpoint dashboard: copy buttons, the install check and the focus of a section a link
// jumps to.
// Loaded as a file (no inline script) so the dashboard runs under a strict CSP.
"use strict";

function setUpCopyButtons() {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    function selectIt() {
      // No clipboard (plain HTTP, or permission refused): select the text to copy by hand.
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (status) status.textContent = button.dataset.select || "";
    }
    button.addEventListener("click", function () {
      if (!navigator.clipboard || !window.isSecureContext) {
        selectIt();
        return;
      }
      navigator.clipboard.writeText(source.textContent).then(function () {
        if (status) status.textContent = button.dataset.copied;
      }, selectIt);
    });
  });
}

function showRefused(section, refused) {
  var list = document.getElementById("refused-list");
  var none = document.getElementById("refused-none");
  var template = document.getElementById("allow-template");
  if (!list) return;
  list.replaceChildren();
  refused.forEach(function (item) {
    var row = document.createElement("li");
    var code = document.createElement("code");
    code.textContent = item.origin;
    var count = document.createElement("span");
    count.className = "muted";
    count.textContent =
      item.count === 1
        ? section.dataset.requestOne
        : section.dataset.requests.replace("{count}", item.count.toLocaleString());
    row.append(code, " ", count);
    if (template) {
      var form = template.content.firstElementChild.cloneNode(true);
      form.querySelector('input[name="origin"]').value = item.origin;
      var button = form.querySelector("button");
      button.textContent = section.dataset.allow;
      button.setAttribute("aria-label", section.dataset.allowLabel.replace("{origin}", item.origin));
      row.append(" ", form);
    }
    list.append(row);
  });
  if (none) none.hidden = refused.length > 0;
}

function setUpInstallCheck() {
  var check = document.getElementById("install-check");
  var status = document.getElementById("check-status");
  var refusedSection = document.getElementById("refused-origins");
  if (!check || !status) return;
  var shownRefused = refusedSection ? refusedSection.dataset.shown : null;
  function poll() {
    fetch(check.dataset.check, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!body) return;
        if (body.received && status.className !== "ok") {
          var when = new Date(body.first_received_at).toLocaleString(document.documentElement.lang);
          status.textContent = check.dataset.received.replace("{time}", when);
          status.className = "ok";
        }
        var refused = JSON.stringify(body.refused_origins);
        // Rebuild the list only when it changed, so a focused "Allow" button keeps its focus.
        if (refusedSection && refused !== shownRefused) {
          shownRefused = refused;
          showRefused(refusedSection, body.refused_origins);
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, Number(check.dataset.every) || 3000);
      });
  }
  poll();
}

// A page opened at a section (the comments' pager links to #comments) moves the focus there
// too, so keyboard and screen-reader users continue where they were rather than at the top.
function focusLinkedSection() {
  if (!location.hash) return;
  var section = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (section && section.getAttribute("tabindex") === "-1") section.focus();
}

document.addEventListener("DOMContentLoaded", function () {
  setUpCopyButtons();
  setUpInstallCheck();
  focusLinkedSection();
});
