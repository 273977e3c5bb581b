/* Jixiao dashboards: draw the charts described by <div data-chart="KIND" data-source="ID">.
 *
 * The data comes from the page itself (Django's json_script, element ID); figures are
 * strings such as "88.10" so the chart shows exactly what the table beside it shows.
 * Without JavaScript (or without ECharts) the chart boxes stay hidden and the tables,
 * open by default, carry the same figures. Charts are drawn again after an htmx swap.
 */
(function () {
  "use strict";

  var PALETTE = ["#b71c1c", "#546e7a", "#1565c0", "#6a1b9a", "#00838f"];
  var LIGHTS = { green: "#2e7d32", yellow: "#f9a825", red: "#c62828" };
  var GRID = { left: 48, right: 24, top: 40, bottom: 48, containLabel: true };

  function num(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function nums(values) {
    return values.map(num);
  }

  var builders = {
    // Score trend across periods: the subject and the township average.
    line: function (d) {
      return {
        color: PALETTE,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: GRID,
        xAxis: { type: "category", data: d.labels },
        yAxis: { type: "value", scale: true },
        series: d.series.map(function (s, i) {
          return {
            name: s.name,
            type: "line",
            data: nums(s.data),
            connectNulls: true,
            label: { show: i === 0 },
            lineStyle: i === 0 ? {} : { type: "dashed" }
          };
        })
      };
    },

    // Level-1 indicators on a 0–100 scale against the average.
    radar: function (d) {
      // Scores cluster near the top: start the axes 10 points below the lowest value
      // (in tens, never below 0) so differences are visible; the table has the figures.
      var values = [];
      d.series.forEach(function (s) {
        nums(s.data).forEach(function (v) {
          if (v !== null) {
            values.push(v);
          }
        });
      });
      var floor = values.length ? Math.max(0, Math.floor((Math.min.apply(null, values) - 10) / 10) * 10) : 0;
      var indicators = d.indicators.map(function (axis) {
        return { name: axis.name, max: axis.max, min: floor };
      });
      return {
        color: PALETTE,
        tooltip: {},
        legend: { top: 0 },
        radar: { indicator: indicators, radius: "62%", center: ["50%", "56%"], axisName: { color: "#1f2933" } },
        series: [
          {
            type: "radar",
            data: d.series.map(function (s) {
              return { name: s.name, value: nums(s.data) };
            })
          }
        ]
      };
    },

    // Grade distribution: the subject's own grade stands out.
    grades: function (d) {
      var mine = d.highlight || [];
      return {
        tooltip: {},
        grid: GRID,
        xAxis: { type: "category", data: d.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          {
            name: d.series[0].name,
            type: "bar",
            label: { show: true, position: "top" },
            data: d.series[0].data.map(function (value, i) {
              var own = mine.indexOf(i) >= 0;
              return { value: value, itemStyle: { color: own ? PALETTE[0] : "#90a4ae" } };
            })
          }
        ]
      };
    },

    // Target progress: how many targets are green, yellow, red.
    lights: function (d) {
      return {
        tooltip: {},
        legend: { top: 0 },
        series: [
          {
            type: "pie",
            radius: ["40%", "68%"],
            center: ["50%", "58%"],
            label: { formatter: "{b}: {c}" },
            data: d.items
              .filter(function (item) {
                return item.value > 0; // no empty slices with overlapping "0" labels
              })
              .map(function (item) {
                return { name: item.name, value: item.value, itemStyle: { color: LIGHTS[item.colour] } };
              })
          }
        ]
      };
    },

    // Inspection ledger by month: points (bars) and number of findings (line).
    deductions: function (d) {
      return {
        color: [PALETTE[0], PALETTE[1]],
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: GRID,
        xAxis: { type: "category", data: d.labels },
        yAxis: [
          { type: "value", name: d.series[0].name },
          { type: "value", name: d.series[1].name, minInterval: 1 }
        ],
        series: [
          { name: d.series[0].name, type: "bar", data: nums(d.series[0].data) },
          { name: d.series[1].name, type: "line", yAxisIndex: 1, data: d.series[1].data }
        ]
      };
    },

    // The overview: every subject's latest total, the average as a line; a bar opens
    // the breakdown of that score.
    ranking: function (d) {
      var series = {
        name: d.series[0].name,
        type: "bar",
        data: nums(d.series[0].data),
        // Past a dozen bars the labels collide: the tooltip and the table carry them.
        label: { show: d.labels.length <= 12, position: "top" },
        cursor: d.links ? "pointer" : "default"
      };
      if (d.average !== null && d.average !== undefined) {
        series.markLine = {
          symbol: "none",
          label: { formatter: d.averageLabel + " {c}", position: "insideEndTop" },
          data: [{ yAxis: num(d.average) }]
        };
      }
      return {
        color: PALETTE,
        tooltip: { trigger: "axis" },
        grid: GRID,
        xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 8 ? 40 : 0 } },
        yAxis: { type: "value", scale: true },
        series: [series]
      };
    }
  };

  var drawn = [];

  function draw(root) {
    if (!window.echarts) {
      return; // the tables stay open: nothing is lost
    }
    root.querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.getAttribute("data-drawn")) {
        return;
      }
      var source = document.getElementById(box.getAttribute("data-source"));
      var build = builders[box.getAttribute("data-chart")];
      if (!source || !build) {
        return;
      }
      var data = JSON.parse(source.textContent);
      data.averageLabel = box.getAttribute("data-average-label") || "";
      box.hidden = false;
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(build(data));
      if (data.links) {
        chart.on("click", function (params) {
          var url = data.links[params.dataIndex];
          if (url) {
            window.location.assign(url);
          }
        });
      }
      box.setAttribute("data-drawn", "1");
      drawn.push(chart);
      // The chart now says what the table says: fold the table away (still one click).
      var table = box.parentNode.querySelector("details.chart-table");
      if (table) {
        table.open = false;
      }
    });
  }

  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) {
      chart.resize();
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    draw(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      draw(document);
    });
  } else {
    draw(document);
  }
})();
