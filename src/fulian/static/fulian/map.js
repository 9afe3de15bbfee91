/* Women's Homes on a Leaflet map. With a tile server configured (MAP_TILE_URL) it draws the base map;
   without one it still shows the points, scaled to fit, and the list beside it holds everything. */
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("map");
  var data = JSON.parse(document.getElementById("map-data").textContent);
  if (!el || !window.L || !data.points.length) { if (el) { el.style.display = "none"; } return; }
  var map = L.map(el, { attributionControl: !!data.tile_url });
  if (data.tile_url) { L.tileLayer(data.tile_url, { attribution: data.tile_attribution, maxZoom: 18 }).addTo(map); }
  /* The popup is built from text nodes: a home's name, address and hours are data, never HTML. */
  function popup(p) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = p.name;
    box.appendChild(name);
    [p.address, p.hours].forEach(function (line) {
      if (!line) { return; }
      var row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }
  /* Each point carries its number in the list beside the map, so "2" on the map is the second home listed. */
  function label(p) {
    var span = document.createElement("span");
    span.textContent = p.label ? p.label + " " + p.name : p.name;
    return span;
  }
  var markers = data.points.map(function (p) {
    return L.circleMarker([p.lat, p.lng], { radius: 7, color: "#b4232a", fillOpacity: 0.8 }).bindPopup(popup(p))
      .bindTooltip(label(p), { permanent: true, direction: "right", offset: [8, 0], className: "map-label" });
  });
  var group = L.featureGroup(markers).addTo(map);
  map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 14 });
});
