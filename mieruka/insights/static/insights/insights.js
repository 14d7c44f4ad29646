/* Mieruka insights: draw each chart from its JSON figure with Plotly (served from the installed package).
   Without Plotly the tables stay open and the page still reads; with it, tables fold under "Table view". */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    var config = { responsive: true, displaylogo: false, locale: document.documentElement.lang || "ja" };
    window.Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
      container.dataset.rendered = "true";
      var details = container.parentNode.querySelector("details.insight-chart__table");
      if (details) { details.open = false; }
    });
    if (container.dataset.chart !== "architecture_graph") {
      // Drill-down: a bar or point that carries the URL of the records behind it opens that list
      // (the same link is in the chart's table, for the keyboard and screen readers).
      container.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var url = point && point.customdata;
        if (typeof url === "string" && url.charAt(0) === "/") { window.location.href = url; }
      });
    }
    if (container.dataset.chart === "architecture_graph") {
      // Clicking a system or platform opens its impact analysis, keeping the current filters.
      container.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata) { return; }
        var params = new URLSearchParams(window.location.search);
        params.set("impact", point.customdata);
        window.location.search = params.toString() + "#impact";
      });
    }
  }

  function init() {
    var containers = document.querySelectorAll("[data-chart]");
    if (!window.Plotly) {
      document.documentElement.classList.add("no-charts");
      return;
    }
    containers.forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
