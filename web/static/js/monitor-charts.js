/* Draws each dashboard chart with Chart.js from its canvas's data-chart attribute. The table
   beside every chart holds the same numbers: the chart is an extra, never the only way to read. */
(function () {
  "use strict";
  var palette = ["#01689b", "#e17000", "#39870c", "#a90061", "#5c5c5c"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    spec.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = palette[index % palette.length];
      dataset.borderColor = palette[index % palette.length];
      if (spec.type === "line" && index > 0) { dataset.borderDash = [6, 4]; dataset.pointRadius = 0; }
    });
    var chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { y: { beginAtZero: true } } }
    });
    canvas.setAttribute("data-drawn", String(chart.data.datasets.length));
  });
})();
