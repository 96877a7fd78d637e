// Draws the case's BPMN diagram with bpmn-js (NavigatedViewer: pan and zoom), marks the open
// steps and the steps taken, and lets a click on a call activity open the called process.
// Everything it shows is also on the page as text; without this script nothing is lost.
(function () {
  "use strict";
  var container = document.getElementById("diagram");
  if (!container || !window.BpmnJS) {
    return;
  }
  var openIds = JSON.parse(container.getAttribute("data-open") || "[]");
  var doneIds = JSON.parse(container.getAttribute("data-done") || "[]");
  var links = JSON.parse(container.getAttribute("data-links") || "{}");
  var viewer = new window.BpmnJS({ container: container });

  function mark(registry, canvas, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) {
        canvas.addMarker(id, marker);
      }
    });
  }

  viewer.importXML(container.getAttribute("data-xml")).then(function () {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    canvas.zoom("fit-viewport");
    mark(registry, canvas, doneIds, "mda-done");
    mark(registry, canvas, openIds, "mda-open");
    viewer.get("eventBus").on("element.click", function (event) {
      var business = event.element.businessObject;
      if (business && business.$type === "bpmn:CallActivity" && links[business.calledElement]) {
        window.location.href = links[business.calledElement] + "#diagram-kop";
      }
    });
    container.setAttribute("data-drawn", "true");
  }).catch(function () {
    container.setAttribute("data-drawn", "error");
    var note = document.createElement("p");
    note.className = "utrecht-paragraph";
    note.textContent = "Het diagram kon niet worden getekend; de route staat hiernaast als tekst.";
    container.appendChild(note);
  });
})();
