/* The comparison page's diagram: the newer model in a viewer, added elements green and changed
   ones orange. The list beside it carries the same information for every reader. */
(function () {
  "use strict";
  var container = document.getElementById("diagram");
  if (!container || !window.BpmnJS) { return; }
  var viewer = new window.BpmnJS({ container: "#diagram" });
  fetch(container.dataset.xmlUrl, { credentials: "same-origin" })
    .then(function (response) { return response.text(); })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      canvas.zoom("fit-viewport");
      [["added", "mda-added"], ["changed", "mda-changed"]].forEach(function (pair) {
        (container.dataset[pair[0]] || "").split(" ").forEach(function (id) {
          if (id && registry.get(id)) { canvas.addMarker(id, pair[1]); }
        });
      });
      container.dataset.ready = "true";
    })
    .catch(function () { container.closest("figure").hidden = true; });  // a DMN table: the list says it all
}());
