// Draws window.PD_MAP (map-data.js) with Leaflet on the country outlines of Natural Earth
// (window.PD_WORLD, world-atlas's TopoJSON read by topojson-client): everything is vendored,
// nothing is fetched from outside the site. The form filters the links by kind and year.
(function () {
  var data = window.PD_MAP;
  var lang = document.documentElement.lang === "fa" ? "fa" : "en";
  var page = lang === "fa" ? ".fa.html" : ".html";
  var map = L.map("map", { worldCopyJump: false, minZoom: 1, maxZoom: 8, zoomSnap: 0.5 });
  var colors = data.kinds;  // kind slug -> colour, from publish/map.py's RELATION_KINDS

  var world = topojson.feature(window.PD_WORLD, window.PD_WORLD.objects.countries);
  L.geoJSON(world, {
    interactive: false,
    style: { color: "#a9a496", weight: 0.6, fillColor: "#f1eee6", fillOpacity: 1, className: "country" }
  }).addTo(map);

  function named(p) {
    var span = document.createElement("span");
    span.lang = lang; span.dir = "auto";
    span.textContent = p["label_" + lang] || p.label_en;
    return span;
  }
  function popup(p) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.href.replace(/\.html$/, page);
    a.appendChild(named(p));
    box.appendChild(a);
    var other = document.createElement("div");
    var otherLang = lang === "fa" ? "en" : "fa";
    other.lang = otherLang; other.dir = "auto"; other.textContent = p["label_" + otherLang];
    box.appendChild(other);
    if (p.year) { var y = document.createElement("div"); y.dir = "ltr"; y.textContent = p.year; box.appendChild(y); }
    return box;
  }

  var lines = [];
  var cities = L.geoJSON(data, {
    filter: function (f) { return f.geometry.type === "Point"; },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, { radius: f.properties.iranian ? 5 : 3.5, color: "#333", weight: 1,
        fillColor: f.properties.iranian ? "#2e7d32" : "#fff", fillOpacity: 1 });
    },
    onEachFeature: function (f, l) {
      l.bindPopup(popup(f.properties));
      l.bindTooltip(named(f.properties), { permanent: true, direction: "right", offset: [4, 0],
        className: "city-label" + (f.properties.iranian ? " iranian" : "") });
    }
  });
  var links = L.geoJSON(data, {
    filter: function (f) { return f.geometry.type === "LineString"; },
    style: function (f) {
      return { color: colors[f.properties.kind] || "#555", weight: 1.6, opacity: 0.75,
        className: "link " + f.properties.kind + " rel-" + f.properties.iri.split("/").pop() };
    },
    onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); lines.push(l); }
  }).addTo(map);
  cities.addTo(map);  // above the lines
  map.fitBounds(links.getBounds(), { padding: [20, 20] });

  // the partner cities are named from zoom 3 on; below that their labels would cover each other
  function labels() { document.getElementById("map").classList.toggle("far", map.getZoom() < 3); }
  map.on("zoomend", labels);
  labels();

  var form = document.getElementById("map-filter");
  function apply() {
    var kinds = {};
    form.querySelectorAll('input[name="kind"]').forEach(function (c) { kinds[c.value] = c.checked; });
    var from = parseInt(form.elements.from.value, 10), to = parseInt(form.elements.to.value, 10);
    var undated = form.elements.undated.checked, shown = 0;
    lines.forEach(function (l) {
      var p = l.feature.properties, year = p.year ? parseInt(p.year, 10) : null;
      var visible = kinds[p.kind] && (year === null ? undated : (isNaN(from) || year >= from) && (isNaN(to) || year <= to));
      if (visible) { shown += 1; if (!links.hasLayer(l)) { links.addLayer(l); } }
      else if (links.hasLayer(l)) { links.removeLayer(l); }
    });
    document.getElementById("map-shown").value = String(shown);
    document.getElementById("map").dataset.shown = String(shown);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
  document.getElementById("map").dataset.features = String(data.features.length);
})();
