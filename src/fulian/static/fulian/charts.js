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
    var chart = echarts.init(children);
    chart.setOption({
      tooltip: { renderMode: "richText", valueFormatter: percent },
      grid: { left: 110, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", inverse: true, data: data.children, triggerEvent: true },
      series: [{ type: "bar", data: data.scores, itemStyle: { color: "#b4232a" }, cursor: "pointer" }]
    });
    /* 点击下钻: a bar (or the unit's name beside it) opens that unit's page, where its own children are ranked */
    chart.on("click", function (params) {
      var index = params.componentType === "yAxis" ? data.children.indexOf(params.value) : params.dataIndex;
      var link = data.links && data.links[index];
      if (link && link.charAt(0) === "/") { window.location.assign(link); }
    });
  }
});
