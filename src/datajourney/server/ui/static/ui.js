/* datajourney UI: small enhancements of the server-rendered pages (they work without it). */
(function () {
  "use strict";
  // Statistics tables drawn by datajourney.views: mark the rows of features with missing
  // values, and give each feature's row an anchor (#feature-<name>).
  document.querySelectorAll(".charts table").forEach(function (table) {
    var header = table.querySelector("tr");
    if (!header) return;
    var names = Array.from(header.children).map(function (th) { return th.textContent.trim(); });
    var missing = names.indexOf("Missing"), feature = names.indexOf("Feature");
    Array.from(table.querySelectorAll("tr")).slice(1).forEach(function (row) {
      var cells = row.children;
      var offset = names.length - cells.length;   // rows under a spanning chart cell
      if (feature >= 0 && cells[feature] && !row.id && offset <= 0) {
        var id = "feature-" + cells[feature].textContent.trim();
        if (!document.getElementById(id)) row.id = id;
      }
      var cell = missing >= 0 ? cells[missing] : null;
      if (cell && /[1-9]/.test(cell.textContent.replace(/^0[.,]?0*%?$/, ""))) {
        cell.classList.add("has-missing");
        row.classList.add("missing");
      }
    });
  });
})();
