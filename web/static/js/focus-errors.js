// Move focus to the error summary after a refused form, so screen readers announce it first.
(function () {
  "use strict";
  var summary = document.querySelector(".mda-error-summary");
  if (summary) {
    summary.focus();
  }
})();
