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

  // Search hits on a cable page: the keys n and p go to the next and previous hit (the
  // links by each hit do the same without this script).
  var hits = Array.prototype.slice.call(document.querySelectorAll(".para--hit"));
  if (hits.length) {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.altKey || event.ctrlKey || event.metaKey ||
          (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))) {
        return;
      }
      if (event.key !== "n" && event.key !== "p") {
        return;
      }
      var current = hits.indexOf(document.getElementById(location.hash.slice(1)));
      var next;
      if (event.key === "n") {
        next = current < 0 ? hits[0] : hits[Math.min(current + 1, hits.length - 1)];
      } else {
        next = current < 0 ? hits[hits.length - 1] : hits[Math.max(current - 1, 0)];
      }
      if (next && next.id) {
        location.hash = next.id;
      }
    });
  }

  var canCopy = !!(navigator.clipboard && window.isSecureContext);

  // Paragraph links (¶N): also copy the permalink to the clipboard when possible.
  document.querySelectorAll("a.para__link").forEach(function (link) {
    link.addEventListener("click", function () {
      if (canCopy) {
        navigator.clipboard.writeText(link.href).catch(function () {});
      }
    });
  });

  // "Copy link" and "Copy citation" buttons: hidden in the HTML (they need this script and
  // the clipboard); without them the permalink and the citation are there to select.
  if (canCopy) {
    document.querySelectorAll("button.para__copy").forEach(function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        }).catch(function () {});
      });
    });
  }
})();
