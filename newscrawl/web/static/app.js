// A little progressive enhancement; the pages work without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Changing the portal or the sort order submits the search form.
    document.querySelectorAll("select.autosubmit").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.submit(); }
      });
    });
    // "/" focuses the search box.
    document.addEventListener("keydown", function (event) {
      var box = document.getElementById("q");
      if (event.key === "/" && box && document.activeElement !== box) {
        event.preventDefault();
        box.focus();
      }
    });
    document.documentElement.setAttribute("data-js", "on");
  });
})();
