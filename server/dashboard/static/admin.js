// Touchpoint dashboard: the snippet's copy button, the live phase-rule tester and the focus
// of a section a link jumps to.
// Loaded as a file (no inline script) so the dashboard runs under a strict CSP.
"use strict";

function setUpCopyButtons() {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(function () {
        if (status) status.textContent = button.dataset.copied;
      });
    });
  });
}

function currentRules(form) {
  var params = new URLSearchParams();
  form.querySelectorAll(".rule").forEach(function (row) {
    params.append("match", row.querySelector(".rule-match").value);
    params.append("phase", row.querySelector(".rule-phase").value);
  });
  return params;
}

function describe(input, verdict) {
  if (!verdict.phase) return input.dataset.none;
  var labels = JSON.parse(input.dataset.phaseLabels);
  return (
    input.dataset.result.replace("{phase}", labels[verdict.phase] || verdict.phase) +
    " " +
    input.dataset.rule.replace("{n}", verdict.rule)
  );
}

function setUpPhaseTester() {
  var form = document.getElementById("settings-form");
  var input = document.getElementById("tester-url");
  var button = document.getElementById("tester-button");
  var output = document.getElementById("tester-result");
  if (!form || !input || !button || !output) return;
  function run() {
    var params = currentRules(form);
    params.set("url", input.value);
    fetch(form.dataset.phaseTest + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        if (body.errors) {
          output.textContent = Object.keys(body.errors)
            .map(function (key) {
              return key + ": " + body.errors[key].join(" ");
            })
            .join(" · ");
          output.className = "error";
        } else {
          output.textContent = describe(input, body);
          output.className = "verdict";
        }
      });
  }
  button.addEventListener("click", run);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
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
  setUpPhaseTester();
  focusLinkedSection();
});
