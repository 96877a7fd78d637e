/* The process designer's modeler page: bpmn-js (or dmn-js) with the properties panel, our own
   MDA++ properties (lane role, task form), problems as overlays and a clickable list, saving a
   draft, publishing with a note and a trial run. Everything goes through the JSON API; the page's
   server-rendered forms keep working without this script. */
(function () {
  "use strict";

  var root = document.getElementById("designer");
  if (!root) { return; }
  var state = {
    region: root.dataset.region,
    versionId: Number(root.dataset.versionId),
    kind: root.dataset.kind,
    fileName: root.dataset.fileName,
    api: root.dataset.api,
    csrf: root.dataset.csrf,
    problems: [],
    trial: null,
    checkTimer: null
  };
  var message = document.getElementById("melding");
  var modeler;

  function regionApi(path) { return state.api + "/regions/" + encodeURIComponent(state.region) + path; }

  function say(text) { message.textContent = text; }

  // Times as the rest of the application shows them: Dutch, in Amsterdam time.
  function when(iso) { return new Date(iso).toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam" }); }

  function emptyItem(list, text) {
    var item = document.createElement("li");
    item.className = "utrecht-unordered-list__item";
    item.textContent = text;
    list.appendChild(item);
  }

  function request(method, url, body, type) {
    var headers = { "X-CSRFToken": state.csrf, "Accept": "application/json" };
    var payload;
    if (body !== undefined) {
      headers["Content-Type"] = type || "application/json";
      payload = type ? body : JSON.stringify(body);
    }
    return fetch(url, { method: method, headers: headers, body: payload, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) {
            var error = new Error((json.error && json.error.message) || ("Fout " + response.status));
            error.details = json.error && json.error.details;
            throw error;
          }
          return json;
        });
      });
  }

  // ---- the modeler ---------------------------------------------------------------------------

  function createModeler(moddle) {
    if (state.kind === "dmn") {
      return new window.DmnJS({ container: "#diagram" });
    }
    var panel = window.BpmnJSPropertiesPanel;
    return new window.BpmnJS({
      container: "#diagram",
      propertiesPanel: { parent: "#properties" },
      additionalModules: [panel.BpmnPropertiesPanelModule, panel.BpmnPropertiesProviderModule,
        panel.CamundaPlatformPropertiesProviderModule],
      moddleExtensions: { camunda: moddle }
    });
  }

  function start() {
    var moddle = state.kind === "dmn" ? Promise.resolve(null)
      : fetch(root.dataset.camundaModdle).then(function (r) { return r.json(); });
    var xml = fetch(regionApi("/models/" + state.versionId + "/bpmn"), { credentials: "same-origin" })
      .then(function (r) { return r.text(); });
    Promise.all([moddle, xml]).then(function (loaded) {
      modeler = createModeler(loaded[0]);
      return modeler.importXML(loaded[1]);
    }).then(function () {
      if (state.kind === "bpmn") {
        modeler.get("canvas").zoom("fit-viewport");
        wireBpmn();
      }
      root.dataset.ready = "true";
      check();
    }).catch(function (error) { say("Het model kon niet worden geopend: " + error.message); });
  }

  function saveXml() {
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  function wireBpmn() {
    var eventBus = modeler.get("eventBus");
    eventBus.on("commandStack.changed", function () {
      window.clearTimeout(state.checkTimer);
      state.checkTimer = window.setTimeout(check, 700);
    });
    eventBus.on("selection.changed", function (event) { showOwnProperties(event.newSelection); });
    eventBus.on("canvas.viewbox.changed", countOffScreen);
    loadForms();
    fillElementChooser();
    eventBus.on("elements.changed", fillElementChooser);
    document.getElementById("element-kiezen").addEventListener("change", function (event) {
      var element = elementOf(event.target.value);
      if (element) { showElement(element); }
    });
    document.getElementById("rol").addEventListener("change", function (event) {
      var element = selectedElement();
      if (element && event.target.value) { modeler.get("modeling").updateLabel(element, event.target.value); }
    });
    document.getElementById("formulier").addEventListener("change", function (event) {
      var element = selectedElement();
      if (element) {
        modeler.get("modeling").updateProperties(element, { "camunda:formKey": event.target.value || undefined });
      }
    });
  }

  // ---- our own properties: the lane's role and the task's form --------------------------------

  var KINDS = { "bpmn:Lane": "lane", "bpmn:UserTask": "gebruikerstaak", "bpmn:StartEvent": "start",
    "bpmn:EndEvent": "einde", "bpmn:IntermediateCatchEvent": "wachtmoment", "bpmn:BoundaryEvent": "termijn",
    "bpmn:ExclusiveGateway": "keuze", "bpmn:ParallelGateway": "parallel", "bpmn:ScriptTask": "script",
    "bpmn:BusinessRuleTask": "beslissing", "bpmn:CallActivity": "deelproces", "bpmn:SequenceFlow": "pijl" };

  function fillElementChooser() {
    var select = document.getElementById("element-kiezen");
    var current = select.value;
    while (select.options.length > 1) { select.remove(1); }
    var elements = modeler.get("elementRegistry").filter(function (e) { return KINDS[e.type] && !e.labelTarget; });
    elements.sort(function (a, b) { return (KINDS[a.type] + a.id).localeCompare(KINDS[b.type] + b.id); });
    elements.forEach(function (e) {
      var option = document.createElement("option");
      option.value = e.id;
      option.textContent = KINDS[e.type] + ": " + (e.businessObject.name || e.id) + " (" + e.id + ")";
      select.appendChild(option);
    });
    select.value = current;
  }

  function selectedElement() {
    var selected = modeler.get("selection").get();
    return selected.length === 1 ? selected[0] : null;
  }

  function loadForms() {
    request("GET", state.api + "/forms").then(function (json) {
      var select = document.getElementById("formulier");
      json.items.forEach(function (form) {
        var option = document.createElement("option");
        option.value = form.key;
        option.textContent = form.title + " (" + form.key + ")";
        select.appendChild(option);
      });
    });
  }

  function showOwnProperties(selection) {
    var element = selection.length === 1 ? selection[0] : null;
    var type = element ? element.type : "";
    var bo = element ? element.businessObject : null;
    document.getElementById("rol-veld").hidden = type !== "bpmn:Lane";
    document.getElementById("formulier-veld").hidden = type !== "bpmn:UserTask";
    document.getElementById("geen-keuze").hidden = type === "bpmn:Lane" || type === "bpmn:UserTask";
    if (type === "bpmn:Lane") { setSelect("rol", bo.name || ""); }
    if (type === "bpmn:UserTask") { setSelect("formulier", bo.get("camunda:formKey") || ""); }
  }

  function setSelect(id, value) {
    var select = document.getElementById(id);
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!known) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value + " (onbekend)";
      select.appendChild(option);
    }
    select.value = value;
  }

  // ---- problems: overlays, the list, and what is out of sight ------------------------------

  function check() {
    return saveXml().then(function (xml) {
      return request("POST", regionApi("/check?file_name=" + encodeURIComponent(state.fileName)), xml, "application/xml");
    }).then(function (json) { showProblems(json.items); })
      .catch(function (error) { showProblems(error.details || [{ element_id: null, message: error.message }]); });
  }

  function elementOf(id) {
    return state.kind === "bpmn" && id ? modeler.get("elementRegistry").get(id) : null;
  }

  function showProblems(problems) {
    state.problems = problems || [];
    var list = document.getElementById("problemen");
    list.textContent = "";
    document.getElementById("probleem-aantal").textContent = "(" + state.problems.length + ")";
    if (state.kind === "bpmn") {
      var overlays = modeler.get("overlays");
      overlays.remove({ type: "mda-problem" });
      modeler.get("elementRegistry").forEach(function (e) { modeler.get("canvas").removeMarker(e.id, "mda-has-problem"); });
    }
    var perElement = {};
    state.problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "utrecht-unordered-list__item";
      var element = elementOf(problem.element_id);
      if (element) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "utrecht-button utrecht-button--subtle mda-problem-link";
        button.textContent = (element.businessObject.name || element.id) + ": " + problem.message;
        button.addEventListener("click", function () { showElement(element); });
        item.appendChild(button);
        perElement[element.id] = (perElement[element.id] || []).concat([problem.message]);
      } else {
        item.textContent = (problem.element_id ? problem.element_id + ": " : "") + problem.message;
      }
      list.appendChild(item);
    });
    Object.keys(perElement).forEach(function (id) {
      var badge = document.createElement("div");
      badge.className = "mda-problem-badge";
      badge.textContent = "! " + perElement[id].length;
      badge.title = perElement[id].join("\n");
      modeler.get("overlays").add(id, "mda-problem", { position: { top: -12, right: 12 }, html: badge });
      modeler.get("canvas").addMarker(id, "mda-has-problem");
    });
    countOffScreen();
  }

  function showElement(element) {
    modeler.get("canvas").scrollToElement(element);
    modeler.get("selection").select(element);
    say("Geselecteerd: " + (element.businessObject.name || element.id));
  }

  function countOffScreen() {
    if (state.kind !== "bpmn" || !modeler) { return; }
    var box = modeler.get("canvas").viewbox();
    var outside = state.problems.filter(function (problem) {
      var e = elementOf(problem.element_id);
      if (!e) { return false; }
      var x = e.x !== undefined ? e.x : e.waypoints[0].x;
      var y = e.y !== undefined ? e.y : e.waypoints[0].y;
      var w = e.width || 0, h = e.height || 0;
      return x + w < box.x || y + h < box.y || x > box.x + box.width || y > box.y + box.height;
    }).length;
    document.getElementById("buiten-beeld").textContent =
      outside ? outside + " probleem/problemen buiten beeld" : "";
    root.dataset.offScreen = String(outside);
  }

  // ---- save and publish ----------------------------------------------------------------------

  function saveDraft() {
    return saveXml().then(function (xml) {
      var query = "?file_name=" + encodeURIComponent(state.fileName) + "&base=" + state.versionId;
      return request("POST", regionApi("/drafts" + query), xml, "application/xml");
    }).then(function (draft) {
      if (draft.id !== state.versionId) {
        state.versionId = draft.id;
        var url = root.dataset.modelerUrl.replace(/\/0$/, "/" + draft.id);
        window.history.replaceState(null, "", url);
        document.getElementById("publiceren-form").action = url + "/publish";
        document.getElementById("download").href = regionApi("/models/" + draft.id + "/download");
      }
      document.getElementById("versie-status").textContent = "Versie " + draft.version + " (concept).";
      showProblems(draft.problems);
      say("Concept opgeslagen als versie " + draft.version +
        (draft.problems.length ? ", met " + draft.problems.length + " probleem/problemen." : ", zonder problemen."));
      return draft;
    }).catch(function (error) { say("Niet opgeslagen: " + error.message); throw error; });
  }

  document.getElementById("opslaan").addEventListener("click", function () { saveDraft().catch(function () {}); });

  document.getElementById("publiceren-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var note = document.getElementById("toelichting").value;
    saveDraft().then(function (draft) {
      return request("POST", regionApi("/models/" + draft.id + "/publish"), { note: note || null });
    }).then(function (published) {
      say("Versie " + published.version + " is gepubliceerd.");
      window.location.assign(root.dataset.modelerUrl.replace(/\/designer\/0$/, "/designer"));
    }).catch(function (error) {
      if (Array.isArray(error.details)) { showProblems(error.details); }
      say("Niet gepubliceerd: " + error.message);
    });
  });

  // ---- trying the draft with data ------------------------------------------------------------

  function trialApi(path) { return regionApi("/trials/" + state.trial.id + path); }

  function showTrial(trial) {
    state.trial = trial;
    document.getElementById("proef").hidden = false;
    document.getElementById("proef-stand").textContent = "Proefzaak " + trial.id + ", klok: " +
      when(trial.now) + (trial.is_completed ? ". De proefzaak is afgerond." : ".");
    var tasks = document.getElementById("proef-taken");
    tasks.textContent = "";
    trial.tasks.forEach(function (task, index) {
      var item = document.createElement("li");
      item.className = "utrecht-unordered-list__item mda-trial-task";
      var label = document.createElement("label");
      label.className = "utrecht-form-label";
      label.htmlFor = "proef-gegevens-" + index;
      label.textContent = task.name + " (" + (task.role || "geen rol") + "): gegevens";
      var data = document.createElement("textarea");
      data.className = "utrecht-textarea";
      data.id = "proef-gegevens-" + index;
      data.rows = 3;
      var examples = {};
      ((task.form && task.form.fields) || []).forEach(function (f) { examples[f.name] = f.example; });
      data.value = JSON.stringify(examples);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "utrecht-button utrecht-button--secondary-action";
      button.textContent = "Afronden: " + task.name;
      button.addEventListener("click", function () {
        var parsed;
        try { parsed = JSON.parse(data.value || "{}"); } catch (e) { say("De gegevens zijn geen geldige JSON."); return; }
        request("POST", trialApi("/tasks/" + task.id + "/complete"), { data: parsed })
          .then(showTrial).catch(function (error) { say("Niet afgerond: " + error.message); });
      });
      item.appendChild(label);
      item.appendChild(data);
      item.appendChild(button);
      tasks.appendChild(item);
    });
    if (!trial.tasks.length) { emptyItem(tasks, "Geen open taken."); }
    var timers = document.getElementById("proef-timers");
    timers.textContent = "";
    if (!trial.timers.length) { emptyItem(timers, "Geen wachtende timers."); }
    trial.timers.forEach(function (timer) {
      var item = document.createElement("li");
      item.className = "utrecht-unordered-list__item";
      item.textContent = timer.name + ": " + when(timer.due_at);
      timers.appendChild(item);
    });
    var path = document.getElementById("proef-pad");
    path.textContent = "";
    trial.path.forEach(function (id) {
      var item = document.createElement("li");
      item.className = "utrecht-ordered-list__item";
      var element = elementOf(id);
      item.textContent = element && element.businessObject.name ? element.businessObject.name + " (" + id + ")" : id;
      path.appendChild(item);
    });
    markTrial(trial);
  }

  function markTrial(trial) {
    var canvas = modeler.get("canvas");
    var overlays = modeler.get("overlays");
    overlays.remove({ type: "mda-trial" });
    modeler.get("elementRegistry").forEach(function (e) {
      canvas.removeMarker(e.id, "mda-path");
      canvas.removeMarker(e.id, "mda-current");
    });
    trial.path.forEach(function (id) { if (elementOf(id)) { canvas.addMarker(id, "mda-path"); } });
    trial.tasks.forEach(function (t) { if (elementOf(t.spec_id)) { canvas.addMarker(t.spec_id, "mda-current"); } });
    trial.timers.forEach(function (t) {
      if (!elementOf(t.spec_id)) { return; }
      var badge = document.createElement("div");
      badge.className = "mda-timer-badge";
      badge.textContent = new Date(t.due_at).toLocaleDateString("nl-NL", { timeZone: "Europe/Amsterdam" });
      overlays.add(t.spec_id, "mda-trial", { position: { bottom: -4, left: -10 }, html: badge });
    });
  }

  var trialStart = document.getElementById("proef-start");
  if (trialStart) {
    trialStart.addEventListener("click", function () {
      saveDraft().then(function (draft) {
        if (draft.problems.length) { throw new Error("los eerst de problemen op"); }
        return request("POST", regionApi("/models/" + draft.id + "/trials"), {});
      }).then(function (trial) { showTrial(trial); say("Proefzaak gestart."); })
        .catch(function (error) { say("Geen proefzaak: " + error.message); });
    });
    document.getElementById("proef-klok").addEventListener("click", function () {
      var duration = document.getElementById("proef-duur").value.trim();
      request("POST", trialApi("/clock"), { advance: duration || null })
        .then(function (trial) { showTrial(trial); say("Klok verzet."); })
        .catch(function (error) { say("Klok niet verzet: " + error.message); });
    });
  }

  start();
}());
