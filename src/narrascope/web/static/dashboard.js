// narrascope dashboard charts: read the page's JSON chart specs and draw them with the vendored ECharts.
// Clicking a bar, point or cell opens the filtered article list (each spec element carries its link).
(function () {
  "use strict";

  function go(link) {
    if (typeof link === "string" && link.charAt(0) === "/" && link.charAt(1) !== "/") {
      window.location.assign(link);
    }
  }

  function bar(spec) {
    var category = { type: "category", data: spec.labels, axisLabel: { width: 220, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    var horizontal = spec.horizontal;
    return {
      grid: { left: horizontal ? 230 : 50, right: 20, top: 10, bottom: horizontal ? 30 : 60 },
      tooltip: { trigger: "item" },
      xAxis: horizontal ? value : Object.assign(category, { axisLabel: { rotate: 30 } }),
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: [{ type: "bar", data: spec.values.map(function (v, i) { return { value: v, link: spec.links[i] }; }) }]
    };
  }

  function stack(spec, kind) {
    return {
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: kind, stack: kind === "bar" ? "all" : undefined, symbolSize: 8,
          data: s.values.map(function (v, i) { return { value: v, link: s.links[i] }; })
        };
      })
    };
  }

  function heatmap(spec) {
    var max = 1;
    spec.cells.forEach(function (c) { max = Math.max(max, c[2]); });
    return {
      grid: { left: 230, right: 20, top: 10, bottom: 90 },
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: spec.x, axisLabel: { rotate: 30 } },
      yAxis: { type: "category", data: spec.y, axisLabel: { width: 220, overflow: "truncate" } },
      visualMap: { min: 0, max: max, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 80 },
      series: [{
        type: "heatmap", label: { show: true },
        data: spec.cells.map(function (c) { return { value: [c[0], c[1], c[2]], link: c[3] }; })
      }]
    };
  }

  function optionFor(spec) {
    if (spec.kind === "bar") { return bar(spec); }
    if (spec.kind === "stack") { return stack(spec, "bar"); }
    if (spec.kind === "line") { return stack(spec, "line"); }
    if (spec.kind === "heatmap") { return heatmap(spec); }
    return null;
  }

  function isEmpty(spec) {
    if (spec.kind === "bar") { return !spec.labels.length; }
    if (spec.kind === "heatmap") { return !spec.x.length || !spec.y.length; }
    return !spec.categories.length || !spec.series.length;
  }

  function draw(element, spec) {
    if (!spec || isEmpty(spec)) {
      var note = document.createElement("p");
      note.className = "no-data";
      note.textContent = "No data yet.";
      element.appendChild(note);
      element.setAttribute("data-rendered", "empty");
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(optionFor(spec));
    chart.on("click", function (params) { go(params.data && params.data.link); });
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-rendered", "chart");
  }

  function start() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) { return; }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      draw(element, specs[element.getAttribute("data-chart")]);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
