/* 关爱帮扶统计: the care groups of each unit below, as stacked bars drawn with ECharts from the JSON the page carries
   (the table beside holds the same figures). Names are set as data, never as HTML; a click drills down. */
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.querySelector("[data-chart=care-groups]");
  var source = document.getElementById("care-chart-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.units.length) { holder.hidden = true; return; }
  holder.style.height = Math.max(220, data.units.length * 28 + 80) + "px";
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 90, right: 16, top: 36, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: data.units, triggerEvent: true },
    series: data.groups.map(function (name, i) {
      return { name: name, type: "bar", stack: "groups", data: data.series[i], cursor: "pointer" };
    })
  });
  chart.on("click", function (params) {
    var index = params.componentType === "yAxis" ? data.units.indexOf(params.value) : params.dataIndex;
    var link = data.links && data.links[index];
    if (link && link.charAt(0) === "/") { window.location.assign(link); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
