/* Mieruka insights: draw each chart from its JSON figure with Plotly (served from the installed package).
   Without Plotly the tables stay open and the page still reads; with it, tables fold under "Table view".

   Plotly is fetched only once the page has loaded (the script tag's data-plotly names it): its 4.8 MB take
   seconds to compile and draw, and every chart's table already carries the same figures and links, so the
   page is read and used at once. Charts in view are drawn first, then the rest one per task, so the page
   keeps answering clicks and scrolling between two charts. */
(function () {
  "use strict";

  var script = document.currentScript;

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
    var drawn = window.Plotly.newPlot(container, figure.data, figure.layout, config).then(function () {
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
    return drawn;
  }

  function inView(container) {
    var box = container.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }

  function drawAll(containers) {
    var queue = containers.filter(inView).concat(containers.filter(function (c) { return !inView(c); }));
    function next() {
      var container = queue.shift();
      if (!container) { return; }
      var later = function () { setTimeout(next, 0); };
      Promise.resolve(draw(container)).then(later, later);
    }
    next();
  }

  function noCharts() {
    document.documentElement.classList.add("no-charts");
  }

  function start() {
    var containers = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    if (!containers.length) { return; }
    if (window.Plotly) { drawAll(containers); return; }
    var source = script && script.dataset.plotly;
    if (!source) { noCharts(); return; }
    var tag = document.createElement("script");
    tag.src = source;
    tag.onload = function () { if (window.Plotly) { drawAll(containers); } else { noCharts(); } };
    tag.onerror = noCharts;
    document.head.appendChild(tag);
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
