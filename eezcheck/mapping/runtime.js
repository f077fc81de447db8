(function () {
"use strict";
var EZ = (window.EZ = window.EZ || {});
var RAD = Math.PI / 180;
EZ.escape = function (s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
};
// a tooltip whose first line is the verdict, whatever the length of the name after it
EZ.tip = function (verdict, s) {
  var d = document.createElement("div"); d.className = "ez-tip";
  var b = document.createElement("b"); b.textContent = verdict; d.appendChild(b);
  d.appendChild(EZ.text(s)); return d;
};
// tooltips stay wholly on screen (a long label near an edge, a phone): clamp after Leaflet places them
(function () {
  var place = L.Tooltip.prototype._setPosition;
  L.Tooltip.include({ _setPosition: function (pos) {
    place.call(this, pos);
    var el = this._container, map = this._map;
    if (!el || !map) return;
    var p = L.DomUtil.getPosition(el), c = map.layerPointToContainerPoint(p), size = map.getSize();
    var w = el.offsetWidth, h = el.offsetHeight, dx = 0, dy = 0;
    // the margins of Leaflet's direction classes (6 px) are outside the position: keep 12 px
    if (c.x + w > size.x - 12) dx = size.x - 12 - (c.x + w);
    if (c.x + dx < 12) dx = 12 - c.x;
    if (c.y + h > size.y - 12) dy = size.y - 12 - (c.y + h);
    if (c.y + dy < 12) dy = 12 - c.y;
    if (dx || dy) L.DomUtil.setPosition(el, p.add([dx, dy]));
  } });
})();
EZ.text = function (s) { var e = document.createElement("span"); e.textContent = s == null ? "" : String(s); return e; };
// a phone-sized map: panels start folded to one line (a tap opens them)
EZ.small = function (map) { var z = map.getSize(); return z.x <= 600 || z.y <= 520; };
function box(cls, tag) { var d = L.DomUtil.create(tag || "div", "ez-box " + cls); L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d; }
EZ.init = function (map, o) {
  EZ.map = map;
  o.panes.forEach(function (p) { var el = map.createPane(p[0]); el.style.zIndex = p[1]; el.style.pointerEvents = "none"; });
  map.attributionControl.setPrefix(o.prefix);
  o.attribution.forEach(function (a) { map.attributionControl.addAttribution(a); });
  // the title: its headline (the first <b>) is the summary of a box that a small screen folds
  var Title = L.Control.extend({ options: { position: "topright" }, onAdd: function () {
    var d = box("ez-title", "details"), s = document.createElement("summary"), body = document.createElement("div");
    body.className = "ez-title-body"; body.innerHTML = o.title;
    var b = body.querySelector("b"); if (b) s.appendChild(b);
    d.appendChild(s); d.appendChild(body); d.open = true;
    return d;
  } });
  var title = new Title().addTo(map).getContainer();
  if (EZ.small(map) && title.offsetHeight > 84) title.open = false;
  L.control.scale({ imperial: false, maxWidth: 160, position: "bottomleft" }).addTo(map);
  EZ.measure(map);
};
// ---- zones: GeoJSON whose coordinate lists are encoded polylines (mapping/layers.py encoded_geometry)
EZ.decode = function (s, digits) {
  var q = Math.pow(10, digits), out = [], i = 0, x = 0, y = 0, n = s.length;
  function next() { var r = 0, sh = 0, b; do { b = s.charCodeAt(i++) - 63; r += (b & 31) * Math.pow(2, sh); sh += 5; } while (b >= 32); return r % 2 ? -(r + 1) / 2 : r / 2; }
  while (i < n) { x += next(); y += next(); out.push([x / q, y / q]); }
  return out;
};
EZ.geometry = function (g) {
  if (g.type === "GeometryCollection") return { type: g.type, geometries: g.geometries.map(EZ.geometry) };
  function dec(e) { return typeof e === "string" ? EZ.decode(e, g.digits) : e.map(dec); }
  var c = dec(g.enc);
  return { type: g.type, coordinates: g.type === "Point" ? c[0] : c };
};
EZ.zones = function (group, d) {
  d.fc.features.forEach(function (f) { if (f.geometry) f.geometry = EZ.geometry(f.geometry); });
  L.geoJSON(d.fc, {
    pane: d.pane, className: "ez-zone " + d.cls, interactive: !!d.interactive, style: function () { return d.style; },
    onEachFeature: function (f, layer) { if (d.interactive && f.properties && f.properties.label) layer.bindTooltip(EZ.text(f.properties.label), { sticky: true }); }
  }).addTo(group);
};
EZ.sites = function (group, sites, o) {
  sites.forEach(function (s) {
    var m = L.circleMarker(s.p, { pane: "ezSites", className: "ez-launch" + (s.used ? " ez-launch-used" : ""), radius: s.used ? o.rUsed : o.r,
      color: "#111", weight: s.used ? 1.5 : 0.8, fillColor: s.used ? "#ffd400" : "#333", fillOpacity: 0.95 })
      .bindTooltip(EZ.text(s.t)).addTo(group);
    // the sites of these events follow the timeline: s.y = the years of their events
    if (s.y) EZ.siteMarks.push({ y: s.y, m: m, g: group });
  });
};
EZ.siteMarks = [];
EZ.rings = function (group, rings) {
  rings.forEach(function (r) {
    L.polyline(r.p, { pane: "ezEvents", className: "ez-ring", color: "#333", weight: 1.2, opacity: 0.8, dashArray: "7 5" })
      .bindTooltip(EZ.text(r.t), { sticky: true }).addTo(group);
  });
};
EZ.evs = [];
EZ.events = function (groups, evs, o) {
  // popups no wider than a phone's screen
  var w = Math.max(200, Math.min(380, window.innerWidth - 70)), h = Math.max(220, Math.min(460, window.innerHeight - 160));
  evs.forEach(function (e) {
    var rec = { y: e.y || "", v: e.v, items: [] };
    if (e.unc) rec.items.push([L.polygon(e.unc, { pane: "ezEvents", className: "ez-uncertainty", color: e.c, weight: 1, dashArray: "4 3", fillColor: e.c, fillOpacity: 0.15 })
      .bindTooltip(EZ.tip(e.head, e.uncTip), { sticky: true }).addTo(groups.unc), groups.unc]);
    if (e.trk) rec.items.push([L.polyline(e.trk, { pane: "ezEvents", className: "ez-track", color: o.trackColor || e.c, weight: o.trackWeight, opacity: o.trackOpacity })
      .bindTooltip(EZ.tip(e.head, e.trkTip), { sticky: true }).addTo(groups.trk), groups.trk]);
    var m = L.circleMarker(e.p, { pane: "ezPoints", className: "ez-splash ez-v-" + e.v, radius: o.r, color: "#111", weight: 1.2, fillColor: e.c, fillOpacity: 0.95 });
    m.bindTooltip(EZ.tip(e.head, e.tip));
    m.bindPopup(e.card + (EZ.cardEnds[e.src] || ""), { maxWidth: w, minWidth: Math.min(260, w), maxHeight: h, className: "ez-popup",
      autoPanPaddingTopLeft: [60, 90], autoPanPaddingBottomRight: [70, 50] });
    m.addTo(groups.splash);
    rec.items.push([m, groups.splash]);
    EZ.evs.push(rec);
  });
};
// ---- footprint: the possible impact points of a range from a launch site or area (mapping/footprint.py)
// keep a (sticky) tooltip inside the map: on a phone a label left of the pointer would leave the screen
EZ.keepInView = function (layer) {
  layer.on("tooltipopen mousemove", function () {
    var t = layer.getTooltip(), el = t && t.getElement();
    if (!el || !el.isConnected) return;
    var m = EZ.map.getContainer().getBoundingClientRect(), r = el.getBoundingClientRect(), dx = 0, dy = 0;
    if (r.right > m.right - 4) dx = m.right - 4 - r.right;
    if (r.left + dx < m.left + 4) dx = m.left + 4 - r.left;
    if (r.bottom > m.bottom - 4) dy = m.bottom - 4 - r.bottom;
    if (r.top + dy < m.top + 4) dy = m.top + 4 - r.top;
    if (dx || dy) L.DomUtil.setPosition(el, L.DomUtil.getPosition(el).add([dx, dy]));
  });
  return layer;
};
EZ.footprint = function (group, d) {
  d.parts.forEach(function (p) {
    var opt = { pane: "ezEvents", className: "ez-footprint ez-fp-" + p.v, color: p.c, weight: p.line ? 5 : 1, opacity: 0.95, fillColor: p.c, fillOpacity: 0.4 };
    var layer = p.line ? L.polyline(p.ll, opt) : L.polygon(p.ll, opt);
    EZ.keepInView(layer.bindTooltip(EZ.tip(p.head, p.tip), { sticky: true })).addTo(group);
  });
  if (d.area) EZ.keepInView(L.polygon(d.area, { pane: "ezEvents", className: "ez-fp-area", color: "#111", weight: 1.5, dashArray: "5 4", fillColor: "#ffd400", fillOpacity: 0.15 })
    .bindTooltip(EZ.text(d.areaTip), { sticky: true })).addTo(group);
  L.circleMarker(d.centre, { pane: "ezPoints", className: "ez-fp-centre", radius: 5, color: "#111", weight: 1.5, fillColor: "#ffd400", fillOpacity: 0.95 })
    .bindTooltip(EZ.text(d.centreTip)).addTo(group);
  var Info = L.Control.extend({ options: { position: "topright" }, onAdd: function () {
    // a summary that opens on a wide screen and stays one headline on a phone
    var b = box("ez-fp-info", "details"), h = document.createElement("summary");
    h.textContent = d.head; b.appendChild(h);
    if (EZ.map.getSize().x > 600) b.open = true;
    d.rows.forEach(function (r) {
      var row = document.createElement("div"), k = document.createElement("span");
      row.className = "ez-fp-row"; k.className = "ez-fp-k"; k.textContent = r[0] + ": ";
      row.appendChild(k); row.appendChild(EZ.text(r[1])); b.appendChild(row);
    });
    return b;
  } });
  new Info().addTo(EZ.map);
};
// ---- base map names: seas, countries, Japanese places, each from its zoom (text only)
EZ.labels = function (group, labels) {
  var map = EZ.map, marks = labels.map(function (l) {
    var el = document.createElement("div"); el.textContent = l.t;
    return { z: l.z, m: L.marker(l.p, { pane: "ezLabels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "ez-label ez-label-" + l.k, html: el, iconSize: null }) }) };
  });
  function update() {
    var z = map.getZoom();
    marks.forEach(function (x) { if (z >= x.z) group.addLayer(x.m); else group.removeLayer(x.m); });
  }
  map.on("zoomend", update); update();
};
// ---- graticule: lines every 1-10 degrees (by zoom), labelled at the edges, at every zoom
EZ.graticule = function (group) {
  var map = EZ.map;
  function step(z) { return z < 3 ? 20 : z < 4 ? 10 : z < 6 ? 5 : z < 7 ? 2 : z < 9 ? 1 : 0.5; }
  function lab(v, pos, neg) { var a = Math.abs(v), s = (a % 1 ? a.toFixed(1) : String(a)) + "°"; return v === 0 ? s : s + (v > 0 ? pos : neg); }
  function draw() {
    group.clearLayers();
    var b = map.getBounds(), d = step(map.getZoom()), opt = { pane: "ezGrid", className: "ez-grid", color: "#5b7083", weight: 0.6, opacity: 0.55, interactive: false };
    var s = Math.max(-85, Math.floor(b.getSouth() / d) * d), n = Math.min(85, Math.ceil(b.getNorth() / d) * d);
    var w = Math.floor(b.getWest() / d) * d, e = Math.ceil(b.getEast() / d) * d;
    for (var lat = s; lat <= n + 1e-9; lat += d) {
      group.addLayer(L.polyline([[lat, w], [lat, e]], opt));
      var ll = map.containerPointToLatLng([4, map.latLngToContainerPoint([lat, w]).y]);
      if (lat > b.getSouth() && lat < b.getNorth()) group.addLayer(L.marker([lat, ll.lng], { pane: "ezGrid", interactive: false, icon: L.divIcon({ className: "ez-grid-label", html: EZ.text(lab(lat, "N", "S")), iconSize: null, iconAnchor: [0, 12] }) }));
    }
    for (var lon = w; lon <= e + 1e-9; lon += d) {
      group.addLayer(L.polyline([[s, lon], [n, lon]], opt));
      var lonw = ((lon + 540) % 360) - 180;
      var pb = map.containerPointToLatLng([0, map.getSize().y - 4]);
      if (lon > b.getWest() && lon < b.getEast()) group.addLayer(L.marker([pb.lat, lon], { pane: "ezGrid", interactive: false, icon: L.divIcon({ className: "ez-grid-label", html: EZ.text(lab(Math.round(lonw * 10) / 10, "E", "W")), iconSize: null, iconAnchor: [-2, 14] }) }));
    }
  }
  map.on("moveend zoomend", draw); draw();
};
// ---- timeline: show the launches of a period (years), with counts by verdict
EZ.timeline = function (map, o) {
  var years = o.years, order = o.order, names = o.names;
  var Ctl = L.Control.extend({ options: { position: "bottomright" }, onAdd: function () {
    var d = box("ez-timeline", "details");
    var head = document.createElement("summary"); head.className = "ez-tl-head";
    var label = document.createElement("b"); label.textContent = "Timeline (year of launch) ";
    var a = document.createElement("input"), b = document.createElement("input");
    [a, b].forEach(function (x, i) { x.type = "range"; x.min = "0"; x.max = String(years.length - 1); x.step = "1"; x.value = i ? x.max : "0"; x.className = i ? "ez-tl-to" : "ez-tl-from"; x.setAttribute("aria-label", i ? "last year" : "first year"); });
    var range = document.createElement("div"); range.className = "ez-tl-range";
    var counts = document.createElement("div"); counts.className = "ez-tl-counts";
    var all = document.createElement("a"); all.textContent = "All years"; all.className = "ez-tl-all"; all.setAttribute("role", "button"); all.href = "#";
    head.appendChild(label); head.appendChild(range);
    d.appendChild(head); d.appendChild(a); d.appendChild(b); d.appendChild(counts); d.appendChild(all);
    d.open = !EZ.small(map);
    function apply() {
      var lo = Math.min(+a.value, +b.value), hi = Math.max(+a.value, +b.value), y0 = years[lo], y1 = years[hi];
      var full = lo === 0 && hi === years.length - 1, c = {}, shown = 0;
      EZ.evs.forEach(function (ev) {
        var on = ev.y ? ev.y >= y0 && ev.y <= y1 : full;
        ev.items.forEach(function (p) { if (on) p[1].addLayer(p[0]); else p[1].removeLayer(p[0]); });
        if (on) { shown++; c[ev.v] = (c[ev.v] || 0) + 1; }
      });
      var sites = 0;
      EZ.siteMarks.forEach(function (s) {
        var on = s.y.some(function (y) { return y ? y >= y0 && y <= y1 : full; });
        if (on) { s.g.addLayer(s.m); sites++; } else s.g.removeLayer(s.m);
      });
      range.textContent = (y0 === y1 ? y0 : y0 + "–" + y1) + ": " + shown + " of " + EZ.evs.length + " drawn events" +
        (EZ.siteMarks.length ? ", from " + sites + " of " + EZ.siteMarks.length + " launch sites" : "");
      counts.innerHTML = "";
      order.forEach(function (k) {
        if (!c[k]) return;
        var row = document.createElement("span"); row.className = "ez-tl-count ez-tl-" + k;
        var dot = document.createElement("span"); dot.className = "ez-dot"; dot.style.background = o.colours[k];
        row.appendChild(dot); row.appendChild(EZ.text(names[k] + " " + c[k])); counts.appendChild(row);
      });
      d.dataset.shown = String(shown); d.dataset.sites = String(sites); d.dataset.counts = JSON.stringify(c); d.dataset.range = y0 + "-" + y1;
    }
    L.DomEvent.on(a, "input", apply); L.DomEvent.on(b, "input", apply);
    L.DomEvent.on(all, "click", function (ev) { L.DomEvent.preventDefault(ev); a.value = "0"; b.value = String(years.length - 1); apply(); });
    EZ.timelineApi = { set: function (y0, y1) { a.value = String(years.indexOf(y0)); b.value = String(years.indexOf(y1)); apply(); } };
    setTimeout(apply, 0);
    return d;
  } });
  new Ctl().addTo(map);
};
EZ.finish = function (map, o) {
  var el = null;
  var Legend = L.Control.extend({ options: { position: "bottomleft" }, onAdd: function () { var d = box("ez-legend", "details"); if (o.legendOpen && map.getSize().x >= 640 && map.getSize().y >= 600) d.open = true; d.innerHTML = o.legend; el = d; return d; } });
  new Legend().addTo(map);
  // keep the events clear of an open legend (bottom left)
  var left = o.legendOpen && el ? Math.min(el.offsetWidth + 20, map.getSize().x / 3) : 30;
  if (o.bounds) map.fitBounds(o.bounds, { paddingTopLeft: [left, 30], paddingBottomRight: [30, 30], maxZoom: o.maxZoom });
};
// ---- geodesic distance on WGS84: Vincenty's inverse formula (haversine if it does not converge)
EZ.vincenty = function (lat1, lon1, lat2, lon2) {
  var a = 6378137, f = 1 / 298.257223563, b = a * (1 - f);
  var L0 = (lon2 - lon1) * RAD;
  L0 = Math.atan2(Math.sin(L0), Math.cos(L0));
  var U1 = Math.atan((1 - f) * Math.tan(lat1 * RAD)), U2 = Math.atan((1 - f) * Math.tan(lat2 * RAD));
  var sU1 = Math.sin(U1), cU1 = Math.cos(U1), sU2 = Math.sin(U2), cU2 = Math.cos(U2);
  var lam = L0, lamP, it = 0, sS, cS, sig, sA, c2A, c2SM, C;
  do {
    var sL = Math.sin(lam), cL = Math.cos(lam);
    sS = Math.sqrt((cU2 * sL) * (cU2 * sL) + (cU1 * sU2 - sU1 * cU2 * cL) * (cU1 * sU2 - sU1 * cU2 * cL));
    if (sS === 0) return 0;
    cS = sU1 * sU2 + cU1 * cU2 * cL;
    sig = Math.atan2(sS, cS);
    sA = cU1 * cU2 * sL / sS;
    c2A = 1 - sA * sA;
    c2SM = c2A !== 0 ? cS - 2 * sU1 * sU2 / c2A : 0;
    C = f / 16 * c2A * (4 + f * (4 - 3 * c2A));
    lamP = lam;
    lam = L0 + (1 - C) * f * sA * (sig + C * sS * (c2SM + C * cS * (-1 + 2 * c2SM * c2SM)));
  } while (Math.abs(lam - lamP) > 1e-12 && ++it < 200);
  if (it >= 200 || !isFinite(lam)) return null;
  var u2 = c2A * (a * a - b * b) / (b * b);
  var A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  var B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  var dS = B * sS * (c2SM + B / 4 * (cS * (-1 + 2 * c2SM * c2SM) - B / 6 * c2SM * (-3 + 4 * sS * sS) * (-3 + 4 * c2SM * c2SM)));
  return b * A * (sig - dS);
};
EZ.haversine = function (lat1, lon1, lat2, lon2) {
  var R = 6371008.8, dLat = (lat2 - lat1) * RAD, dLon = (lon2 - lon1) * RAD;
  var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
};
EZ.distance = function (p, q) {
  var d = EZ.vincenty(p.lat, p.lng, q.lat, q.lng);
  return d === null ? { m: EZ.haversine(p.lat, p.lng, q.lat, q.lng), approx: true } : { m: d, approx: false };
};
function greatCircle(p, q) {
  // points along the great circle from p to q (for drawing), longitudes continuous from p
  function v(ll) { var la = ll.lat * RAD, lo = ll.lng * RAD; return [Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)]; }
  var a = v(p), b = v(q), dot = Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])), w = Math.acos(dot);
  var n = Math.max(1, Math.ceil(w / (50 / 6371))), out = [], prev = p.lng;
  for (var i = 0; i <= n; i++) {
    var t = i / n, s1 = w < 1e-9 ? 1 - t : Math.sin((1 - t) * w) / Math.sin(w), s2 = w < 1e-9 ? t : Math.sin(t * w) / Math.sin(w);
    var x = s1 * a[0] + s2 * b[0], y = s1 * a[1] + s2 * b[1], z = s1 * a[2] + s2 * b[2];
    var lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD, lng = Math.atan2(y, x) / RAD;
    lng += 360 * Math.round((prev - lng) / 360); prev = lng;
    out.push([lat, lng]);
  }
  return out;
}
function fmt(x, d) { var s = x.toFixed(d), parts = s.split("."); parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ","); return parts.join("."); }
EZ.measure = function (map) {
  var pts = [], line = null, dots = [], active = false, approx = false, total = 0, legs = [];
  var Ctl = L.Control.extend({ options: { position: "topleft" }, onAdd: function () {
    var wrap = L.DomUtil.create("div", "ez-measure");
    var bar = L.DomUtil.create("div", "leaflet-bar", wrap);
    var btn = L.DomUtil.create("a", "ez-measure-btn", bar);
    btn.href = "#"; btn.title = "Measure a geodesic distance (WGS84, Vincenty)"; btn.setAttribute("role", "button"); btn.setAttribute("aria-label", btn.title);
    btn.innerHTML = '<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><path d="M1 13 L13 1 L17 5 L5 17 Z" fill="none" stroke="#333" stroke-width="1.5"/><path d="M4 10l2 2M6 8l1.5 1.5M8 6l2 2M10 4l1.5 1.5" stroke="#333" stroke-width="1.2"/></svg>';
    var out = L.DomUtil.create("div", "ez-box ez-measure-out", wrap);
    out.id = "ez-measure-out";
    L.DomEvent.disableClickPropagation(wrap); L.DomEvent.disableScrollPropagation(wrap);
    L.DomEvent.on(btn, "click", function (ev) { L.DomEvent.preventDefault(ev); active ? finish() : start(); });
    EZ._measureWrap = wrap; EZ._measureOut = out;
    return wrap;
  } });
  function render() {
    var out = EZ._measureOut, head = active ? "Click points on the map; double-click, Esc or the ruler to finish." : "Measurement finished.";
    out.dataset.m = String(total); out.dataset.points = String(pts.length); out.dataset.approx = String(approx);
    out.innerHTML = "";
    out.appendChild(EZ.text(head)); out.appendChild(document.createElement("br"));
    var t = document.createElement("b");
    t.textContent = (approx ? "≈ " : "") + fmt(total / 1000, 1) + " km (" + fmt(total / 1852, 1) + " nm)" + (legs.length > 1 ? ", last leg " + fmt(legs[legs.length - 1] / 1000, 1) + " km" : "");
    out.appendChild(t); out.appendChild(document.createElement("br"));
    out.appendChild(EZ.text(approx ? "geodesic on a 6,371 km sphere (haversine; Vincenty did not converge)" : "geodesic on the WGS84 ellipsoid (Vincenty's inverse formula)"));
    out.appendChild(document.createElement("br"));
    var clr = document.createElement("a"); clr.textContent = "Clear"; clr.setAttribute("role", "button");
    L.DomEvent.on(clr, "click", function (ev) { L.DomEvent.stop(ev); clear(); });
    out.appendChild(clr);
  }
  function clear() {
    pts = []; legs = []; total = 0; approx = false;
    if (line) { map.removeLayer(line); line = null; }
    dots.forEach(function (d) { map.removeLayer(d); }); dots = [];
    if (!active) L.DomUtil.removeClass(EZ._measureWrap, "ez-measure-done");
    render();
  }
  function start() {
    clear(); active = true;
    L.DomUtil.addClass(EZ._measureWrap, "ez-measure-on"); L.DomUtil.removeClass(EZ._measureWrap, "ez-measure-done");
    L.DomUtil.addClass(map.getContainer(), "ez-measuring"); map.doubleClickZoom.disable(); render();
  }
  function finish() {
    active = false;
    L.DomUtil.removeClass(EZ._measureWrap, "ez-measure-on"); L.DomUtil.addClass(EZ._measureWrap, "ez-measure-done");
    L.DomUtil.removeClass(map.getContainer(), "ez-measuring"); map.doubleClickZoom.enable(); render();
  }
  function add(ll) {
    if (pts.length) {
      var prev = pts[pts.length - 1], d = EZ.distance(prev, ll);
      approx = approx || d.approx; total += d.m; legs.push(d.m);
      var seg = greatCircle(prev, ll);
      if (!line) line = L.polyline(seg, { pane: "ezMeasure", className: "ez-measure-line", color: "#000", weight: 2, dashArray: "5 4", interactive: false }).addTo(map);
      else seg.slice(1).forEach(function (q) { line.addLatLng(q); });
    }
    pts.push(ll);
    dots.push(L.circleMarker(ll, { pane: "ezMeasure", className: "ez-measure-pt", radius: 3, color: "#000", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false }).addTo(map));
    render();
  }
  map.on("click", function (ev) { if (active) add(ev.latlng); });
  map.on("dblclick", function () { if (active) finish(); });
  L.DomEvent.on(document, "keydown", function (ev) { if (active && ev.key === "Escape") finish(); });
  EZ.measureApi = { start: start, finish: finish, clear: clear, add: add, total: function () { return total; } };
  new Ctl().addTo(map);
};
// ---- the page: everything comes from the JSON data block, never from script source
EZ.start = function (D) {
  var map = L.map("ez-map", D.map);
  EZ.cardEnds = D.cardEnds || [];
  var groups = {}, control = L.control.layers(null, null, { position: "topright", collapsed: D.collapsed });
  D.groups.forEach(function (g) {
    var lg = L.featureGroup(); groups[g.id] = lg;
    if (g.show) lg.addTo(map);
    control.addOverlay(lg, EZ.escape(g.name));
  });
  if (D.tiles) {
    var t = L.tileLayer(D.tiles.url, { attribution: EZ.escape(D.tiles.attribution), maxZoom: D.tiles.maxZoom });
    t.addTo(map); control.addBaseLayer(t, EZ.escape(D.tiles.name));
  }
  D.draw.forEach(function (c) {
    var target;
    if (c.fn === "init" || c.fn === "finish" || c.fn === "timeline") target = map;
    else if (c.groups) { target = {}; Object.keys(c.groups).forEach(function (k) { target[k] = c.groups[k] === null ? null : groups[c.groups[k]]; }); }
    else target = groups[c.group];
    EZ[c.fn].apply(null, [target].concat(c.args));
  });
  control.addTo(map);
  EZ.control = control;
  return map;
};
EZ.start(JSON.parse(document.getElementById("ez-data").textContent));
})();
