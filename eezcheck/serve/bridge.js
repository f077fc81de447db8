// eezcheck serve: added to a map page shown inside the app, after Leaflet and before the map
// is made. It tells the page (the parent frame, same origin only) where the map was clicked;
// it sends nothing anywhere else.
"use strict";
(function () {
  if (window.parent === window || typeof L === "undefined") return;
  L.Map.addInitHook(function () {
    this.on("click", function (e) {
      window.parent.postMessage(
        { type: "eezcheck-click", lat: e.latlng.lat, lng: e.latlng.lng }, location.origin);
    });
    this.whenReady(function () { document.documentElement.dataset.eezcheckBridge = "ready"; });
  });
})();
