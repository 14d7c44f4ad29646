/* Mieruka insights: draw each chart from its JSON figure with Plotly (served from the installed package).
   Without Plotly the tables stay open and the page still reads; with it, tables fold under "Table view". */
(function () {
  "use strict";

  // Below this width (a phone held upright) labels shrink and margins tighten, so a chart keeps its plot
  // area and its labels do not run into each other.
  var NARROW = 520;

  function narrow(layout, data) {
    // Columns a dozen pixels wide cannot carry a number: the table and the hover still give it.
    data.forEach(function (trace) {
      var many = trace.type === "bar" && trace.orientation !== "h" && (trace.y || []).length > 12;
      if (many) { trace.textposition = "none"; }
    });
    layout.font = Object.assign({}, layout.font || {}, { size: 11 });
    layout.margin = Object.assign({}, layout.margin || {}, { l: 8, r: 8 });
    ["xaxis", "yaxis"].forEach(function (name) {
      if (layout[name]) { layout[name].tickfont = Object.assign({}, layout[name].tickfont || {}, { size: 10 }); }
    });
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    if (container.clientWidth && container.clientWidth < NARROW) { narrow(figure.layout || {}, figure.data || []); }
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
