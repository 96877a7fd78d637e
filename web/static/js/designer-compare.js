/* The comparison page's diagrams: the older model with removed elements red and changed ones
   orange, the newer with added elements green and changed ones orange. The list below carries
   the same information for every reader. */
(function () {
  "use strict";
  if (!window.BpmnJS) { return; }
  var MARKERS = [["added", "mda-added"], ["removed", "mda-removed"], ["changed", "mda-changed"]];

  function show(container) {
    var viewer = new window.BpmnJS({ container: container });
    fetch(container.dataset.xmlUrl, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get("canvas");
        var registry = viewer.get("elementRegistry");
        canvas.zoom("fit-viewport");
        MARKERS.forEach(function (pair) {
          (container.dataset[pair[0]] || "").split(" ").forEach(function (id) {
            if (id && registry.get(id)) { canvas.addMarker(id, pair[1]); }
          });
        });
        container.dataset.ready = "true";
      })
      .catch(function () { container.closest("figure").hidden = true; });  // a DMN table: the list says it all
  }

  ["diagram", "diagram-nieuw"].forEach(function (id) {
    var container = document.getElementById(id);
    if (container) { show(container); }
  });
}());
