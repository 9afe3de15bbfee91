/* Draws the dashboard's charts with ECharts from the JSON the page carries; the tables beside them hold the
   same figures for printing and for screen readers. */
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!window.echarts) { return; }
  var percent = function (v) { return v == null ? "—" : v + "%"; };
  var trend = document.querySelector("[data-chart=trend]");
  if (trend) {
    echarts.init(trend).setOption({
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: percent },
      legend: { top: 0 }, grid: { left: 40, right: 10, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: Object.keys(data.rates).map(function (name) {
        return { name: name, type: "line", connectNulls: false, data: data.rates[name] };
      })
    });
  }
  var children = document.querySelector("[data-chart=children]");
  if (children && data.children.length) {
    children.style.height = Math.max(200, data.children.length * 22) + "px";
    echarts.init(children).setOption({
      tooltip: { renderMode: "richText", valueFormatter: percent },
      grid: { left: 110, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value", max: 100 }, yAxis: { type: "category", inverse: true, data: data.children },
      series: [{ type: "bar", data: data.scores, itemStyle: { color: "#b4232a" } }]
    });
  }
});
