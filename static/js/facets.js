// Comfort only: without this script, "Show all" still lists every value of a facet.
(function () {
  "use strict";

  // The filter box of a long facet: keeps the values whose label contains the text (any
  // case), opening the folded values while a text is typed.
  document.querySelectorAll("input.facet__filter").forEach(function (input) {
    var facet = input.closest(".facet");
    if (!facet) {
      return;
    }
    var items = Array.prototype.slice.call(facet.querySelectorAll(".facet__value"));
    var more = facet.querySelector("details.facet__more");
    var wasOpen = more ? more.open : false;
    input.hidden = false;
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      items.forEach(function (item) {
        var label = item.querySelector(".facet__label");
        var desc = item.querySelector(".facet__desc");
        var haystack = ((label ? label.textContent : "") + " " + (desc ? desc.textContent : "")).toLowerCase();
        item.hidden = text !== "" && haystack.indexOf(text) < 0;
      });
      if (more) {
        if (text !== "" && !more.open) {
          wasOpen = false;
          more.open = true;
        } else if (text === "" && !wasOpen) {
          more.open = false;
        }
      }
    });
  });
})();
