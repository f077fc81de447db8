// eezcheck serve: added to a map page shown inside the app. It tells the page (the parent
// frame, same origin only) where the map was clicked; it sends nothing anywhere else.
"use strict";
(function () {
  if (window.parent === window || typeof L === "undefined") return;
  function findMap() {
    for (const key of Object.keys(window)) {
      try {
        if (window[key] instanceof L.Map) return window[key];
      } catch (e) { /* a property that cannot be read */ }
    }
    return null;
  }
  function attach(tries) {
    const map = findMap();
    if (!map) {
      if (tries > 0) setTimeout(() => attach(tries - 1), 50);
      return;
    }
    map.on("click", (e) => {
      window.parent.postMessage(
        { type: "eezcheck-click", lat: e.latlng.lat, lng: e.latlng.lng }, location.origin);
    });
    document.documentElement.dataset.eezcheckBridge = "ready";
  }
  if (document.readyState === "complete") attach(100);
  else window.addEventListener("load", () => attach(100));
})();
