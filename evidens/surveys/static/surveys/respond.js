// The respondent form, enhanced: questions appear and disappear as answers change (the server's
// one evaluator decides which), and the page is saved when it is left without a button.
(function () {
  "use strict";
  var form = document.querySelector("[data-survey-form]");
  if (!form) { return; }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var shownField = form.querySelector("[data-shown]");
  var pending = null;
  var submitting = false;

  function payload(action) {
    var data = new FormData(form);
    data.set("action", action);
    return data;
  }

  function refresh() {
    fetch(window.location.href, { method: "POST", body: payload("visible"), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result) { return; }
        var shown = {};
        result.shown.forEach(function (name) { shown[name] = true; });
        form.querySelectorAll("[data-question]").forEach(function (question) {
          question.hidden = !shown[question.getAttribute("data-question")];
        });
        shownField.value = result.shown.join(" ");
      })
      .catch(function () { /* offline: the server checks again when the page is sent */ });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 150);
  });
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("pagehide", function () {
    if (!submitting && navigator.sendBeacon) { navigator.sendBeacon(window.location.href, payload("save")); }
  });
})();
