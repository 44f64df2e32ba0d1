// Draws window.PD_MAP (map-data.js) with Leaflet, without any tile layer: nothing is fetched
// from outside the site. A graticule every 15 degrees stands in for the missing base map.
(function () {
  var data = window.PD_MAP;
  var map = L.map("map", { worldCopyJump: false, minZoom: 1, maxZoom: 8 });
  var colors = { "sister-city": "#1f6fb2", "mou": "#d9822b" };
  for (var lon = -180; lon <= 180; lon += 15) {
    L.polyline([[-85, lon], [85, lon]], { color: "#c5d3df", weight: lon === 0 ? 1.5 : 0.7, interactive: false }).addTo(map);
  }
  for (var lat = -75; lat <= 75; lat += 15) {
    L.polyline([[lat, -180], [lat, 180]], { color: "#c5d3df", weight: lat === 0 ? 1.5 : 0.7, interactive: false }).addTo(map);
  }
  function link(p) {
    var a = document.createElement("a");
    a.href = p.href;
    a.textContent = p.label_en;
    var fa = document.createElement("div");
    fa.lang = "fa"; fa.dir = "rtl"; fa.textContent = p.label_fa;
    var box = document.createElement("div");
    box.appendChild(a); box.appendChild(fa);
    return box;
  }
  var layer = L.geoJSON(data, {
    style: function (f) { return { color: colors[f.properties.kind] || "#555", weight: 1.6, opacity: 0.75 }; },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, { radius: f.properties.iranian ? 5 : 3.5, color: "#333", weight: 1,
        fillColor: f.properties.iranian ? "#2e7d32" : "#fff", fillOpacity: 1 });
    },
    onEachFeature: function (f, l) {
      var box = link(f.properties);
      if (f.properties.year) { box.appendChild(document.createTextNode(f.properties.year)); }
      l.bindPopup(box);
      var tip = document.createElement("span");
      tip.textContent = f.properties.label_en;  // a string would be set as HTML by Leaflet
      l.bindTooltip(tip);
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20] });
  document.getElementById("map").dataset.features = String(data.features.length);
})();
