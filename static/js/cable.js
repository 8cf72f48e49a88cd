// Comfort only: every page works the same without this script.
(function () {
  "use strict";

  // Submitting the date form: leave empty dates out of the URL (?date_from=&date_to=).
  document.querySelectorAll("form.date-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[type=date]").forEach(function (input) {
        if (!input.value) {
          input.disabled = true;
        }
      });
    });
  });

  // Paragraph links (¶N): also copy the permalink to the clipboard when possible.
  document.querySelectorAll("a.para__link").forEach(function (link) {
    link.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link.href).catch(function () {});
      }
    });
  });
})();
