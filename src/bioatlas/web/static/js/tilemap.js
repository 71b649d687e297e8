/* The tile map (only when BIOATLAS_TILE_URL is set): vendored Leaflet, points from /api/map.
   Names are added as text, never as HTML. */
(function () {
  "use strict";
  var box = document.getElementById("tile-map");
  if (!box || typeof L === "undefined") { return; }
  var map = L.map(box, { worldCopyJump: true });
  L.tileLayer(box.dataset.tileUrl, { maxZoom: 18 }).addTo(map);
  map.setView([30, 10], 2);
  fetch(box.dataset.pointsUrl, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var bounds = [];
      var most = Math.max.apply(null, data.points.map(function (p) { return p.events; }).concat([1]));
      data.points.forEach(function (p) {
        var link = document.createElement("a");
        link.href = "/entity/" + encodeURIComponent(p.id).replace(/%3A/g, ":");
        link.textContent = p.name + " (" + p.events + ")";
        L.circleMarker([p.lat, p.lon], { radius: 5 + 10 * Math.sqrt(p.events / most), className: "tile-point" })
          .bindPopup(link).addTo(map);
        bounds.push([p.lat, p.lon]);
      });
      if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 }); }
    });
}());
