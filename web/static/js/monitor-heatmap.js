/* The heatmap: the region's BPMN diagram in the bpmn-js viewer with, on every element where cases
   wait now, a badge (count and median days) and a colour by how many wait there. A click on such
   an element opens the list of those cases. The table under the diagram has the same numbers. */
(function () {
  "use strict";
  var container = document.getElementById("diagram");
  if (!container) { return; }
  var heat = JSON.parse(container.getAttribute("data-heat") || "[]");
  var byId = {};
  var most = 1;
  heat.forEach(function (item) { byId[item.id] = item; most = Math.max(most, item.count); });
  var viewer = new BpmnJS({ container: container });
  fetch(container.getAttribute("data-diagram-url"), { credentials: "same-origin" })
    .then(function (response) { return response.text(); })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var overlays = viewer.get("overlays");
      var registry = viewer.get("elementRegistry");
      canvas.zoom("fit-viewport");
      heat.forEach(function (item) {
        if (!registry.get(item.id)) { return; }
        var level = Math.min(3, Math.ceil((item.count / most) * 3));
        canvas.addMarker(item.id, "mda-heat-" + level);
        var badge = document.createElement("span");
        badge.className = "mda-heat-badge mda-heat-badge-" + level;
        badge.textContent = item.count + " · " + item.median + " d";
        badge.setAttribute("data-element", item.id);
        overlays.add(item.id, { position: { top: -14, right: 14 }, html: badge });
      });
      viewer.get("eventBus").on("element.click", function (event) {
        if (byId[event.element.id]) {
          window.location.href = container.getAttribute("data-element-url").replace("ELEMENT", encodeURIComponent(event.element.id));
        }
      });
      container.setAttribute("data-ready", String(heat.length));
    })
    .catch(function () {
      container.textContent = "Het diagram kon niet worden getoond; de tabel hieronder bevat dezelfde cijfers.";
      container.setAttribute("data-ready", "error");
    });
})();
