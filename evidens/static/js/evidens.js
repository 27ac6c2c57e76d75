// Small behaviours that keep templates free of inline script (the CSP forbids it).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // A code's own colour: templates write it to data-code-colour, set here through the CSSOM, which the CSP
  // allows (a style="" attribute it would block).
  function paintCodeColours(root) {
    root.querySelectorAll("[data-code-colour]").forEach(function (element) {
      element.style.setProperty("--code-colour", element.getAttribute("data-code-colour"));
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { paintCodeColours(document); });
  } else {
    paintCodeColours(document);
  }
  document.addEventListener("htmx:afterSwap", function () { paintCodeColours(document); });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
})();
