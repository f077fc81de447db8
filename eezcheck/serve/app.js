// eezcheck serve: the page's script. Every string from the server or the user is shown with
// textContent (never as markup); the query lives in the address bar, so a link shares it.
"use strict";

const FIELDS = ["q", "lat", "lon", "from", "range_km", "bearing", "uncertainty_km"];
const NUMBERS = new Set(["range_km", "uncertainty_km"]);
const $ = (id) => document.getElementById(id);

function formParams() {
  const p = new URLSearchParams();
  for (const name of FIELDS) {
    const el = $(name);
    const v = el ? el.value.trim() : "";
    if (v) p.set(name, v);
  }
  return p;
}

function fillForm(p) {
  for (const name of FIELDS) {
    const el = $(name);
    if (el) el.value = p.get(name) || "";
  }
  if (p.get("from")) $("launch-details").open = true;
  if (p.get("lat") && p.get("lon") && !p.get("q")) {
    $("q").value = p.get("lat") + " " + p.get("lon");
  }
}

function body(p) {
  const obj = {};
  for (const [k, v] of p) {
    if (k === "lat" || k === "lon") continue;
    obj[k] = NUMBERS.has(k) && v !== "" && !isNaN(Number(v)) ? Number(v) : v;
  }
  return obj;
}

function show(el, visible) { el.hidden = !visible; }

function setError(el, message) {
  el.textContent = message || "";
  show(el, Boolean(message));
}

async function errorText(resp) {
  try {
    const data = await resp.json();
    return data.error || resp.statusText;
  } catch (e) {
    return resp.status + " " + resp.statusText;
  }
}

const VERDICTS = {
  inside: "INSIDE Japan's EEZ · EEZ内",
  outside: "OUTSIDE Japan's EEZ · EEZ外",
  disputed: "DISPUTED · 係争水域",
  uncertain: "UNCERTAIN · 判断できない",
  can_reach: "CAN REACH Japan's EEZ · 届く",
  cannot_reach: "CANNOT REACH Japan's EEZ · 届かない",
};

function renderCard(data, p) {
  const verdict = $("verdict");
  verdict.className = "verdict " + data.verdict;
  verdict.textContent = VERDICTS[data.verdict] || data.verdict;
  verdict.dataset.verdict = data.verdict;
  $("headline-en").textContent = data.headline_en;
  $("headline-ja").textContent = data.headline_ja;
  const warnings = $("warnings");
  warnings.replaceChildren();
  for (const w of data.warnings) {
    const li = document.createElement("li");
    li.textContent = w;
    warnings.appendChild(li);
  }
  const dl = $("details");
  dl.replaceChildren();
  let last = null;
  for (const line of data.lines) {
    const m = /^\s{2}(\S.*?)?\s{2,}(\S.*)$/.exec(line) || [null, "", line.trim()];
    if (!m[1] && last) {
      last.textContent += "; " + m[2];
      continue;
    }
    const dt = document.createElement("dt");
    dt.textContent = m[1] || "";
    const dd = document.createElement("dd");
    dd.textContent = m[2];
    dl.append(dt, dd);
    last = dd;
  }
  const qs = p.toString();
  $("share").href = "/?" + qs;
  $("download-json").href = "/api/check?" + qs + "&download=1";
  const mapLink = $("download-map");
  mapLink.href = "/map.html?" + qs + "&download=1";
  show(mapLink, data.has_point);
  show($("card"), true);
  const frame = $("map");
  const src = data.has_point ? "/map.html?" + qs + "&embed=1" : "about:blank";
  if (frame.getAttribute("src") !== src) frame.setAttribute("src", src);
}

let checking = 0;

async function check(p) {
  const mine = ++checking;
  setError($("error"), "");
  $("check-button").disabled = true;
  try {
    const resp = await fetch("/api/card", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body(p)),
      credentials: "same-origin",
    });
    if (mine !== checking) return;
    if (!resp.ok) {
      show($("card"), false);
      setError($("error"), await errorText(resp));
      return;
    }
    renderCard(await resp.json(), p);
  } catch (e) {
    setError($("error"), "the server did not answer: " + e);
  } finally {
    if (mine === checking) $("check-button").disabled = false;
  }
}

function submitCheck(event) {
  if (event) event.preventDefault();
  const p = formParams();
  history.replaceState(null, "", p.toString() ? "/?" + p.toString() : "/");
  if (p.toString()) check(p);
}

// the map (in its frame) tells where it was clicked; only our own frame is listened to
window.addEventListener("message", (event) => {
  const frame = $("map");
  if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
  const d = event.data;
  if (!d || d.type !== "eezcheck-click" || !isFinite(d.lat) || !isFinite(d.lng)) return;
  for (const name of ["from", "range_km", "bearing"]) $(name).value = "";
  $("q").value = Number(d.lat).toFixed(4) + " " + Number(d.lng).toFixed(4);
  submitCheck(null);
});

// ---------------------------------------------------------------- tables

function cell(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text == null ? "" : String(text);
  return el;
}

function renderBatch(job) {
  const s = job.summary;
  const summary = $("summary");
  summary.replaceChildren();
  const keys = ["rows", "inside", "outside", "disputed", "uncertain", "errors", "warnings"];
  const head = document.createElement("tr");
  const vals = document.createElement("tr");
  for (const k of keys) {
    head.appendChild(cell("th", k));
    const td = cell("td", s[k]);
    td.dataset.key = k;
    vals.appendChild(td);
  }
  summary.append(head, vals);
  const links = $("batch-downloads");
  links.replaceChildren();
  const names = { csv: "CSV", xlsx: "Excel", geojson: "GeoJSON", parquet: "Parquet" };
  for (const fmt of ["csv", "xlsx", "geojson", "parquet"]) {
    const url = job.downloads[fmt];
    if (!url) continue;
    const a = cell("a", "download " + (names[fmt] || fmt));
    a.href = url;
    a.setAttribute("download", "");
    a.id = "download-" + fmt;
    links.appendChild(a);
  }
  if (job.map) {
    const a = cell("a", "download map");
    a.href = job.map + "?download=1";
    a.setAttribute("download", "");
    a.id = "download-table-map";
    links.appendChild(a);
  }
  const table = $("preview");
  table.replaceChildren();
  const tr = document.createElement("tr");
  for (const c of job.preview.columns) tr.appendChild(cell("th", c));
  table.appendChild(tr);
  for (const row of job.preview.rows) {
    const r = document.createElement("tr");
    for (const v of row) r.appendChild(cell("td", v));
    table.appendChild(r);
  }
  $("batch-map").setAttribute("src", job.map || "about:blank");
  show($("batch-result"), true);
}

function progress(job) {
  const bar = $("progress");
  show(bar, true);
  if (job.state === "done") {
    bar.max = 1;
    bar.value = 1;
  } else if (job.total) {
    bar.max = job.total;
    bar.value = Math.min(job.done, job.total);
  } else {
    bar.removeAttribute("value");
  }
  const name = job.name;
  if (job.state === "done") {
    $("batch-status").textContent = name + ": done — " + job.summary.rows + " rows checked";
  } else if (job.state === "error") {
    $("batch-status").textContent = name + ": failed";
  } else {
    $("batch-status").textContent = name + ": checking…";
  }
  $("batch-status").dataset.state = job.state;
}

async function poll(id) {
  for (;;) {
    const resp = await fetch("/api/batch/" + encodeURIComponent(id), { credentials: "same-origin" });
    if (!resp.ok) {
      setError($("batch-error"), await errorText(resp));
      return;
    }
    const job = await resp.json();
    progress(job);
    if (job.state === "done") {
      renderBatch(job);
      return;
    }
    if (job.state === "error") {
      setError($("batch-error"), job.error);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function upload(event) {
  event.preventDefault();
  const file = $("file").files[0];
  setError($("batch-error"), "");
  show($("batch-result"), false);
  if (!file) {
    setError($("batch-error"), "choose a table first (CSV, Excel, GeoJSON, Parquet, GeoPackage or a zipped Shapefile)");
    return;
  }
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("fields", $("fields").value);
  $("batch-button").disabled = true;
  $("batch-status").textContent = file.name + ": uploading…";
  $("batch-status").dataset.state = "uploading";
  try {
    const resp = await fetch("/api/batch", { method: "POST", body: form, credentials: "same-origin" });
    if (!resp.ok) {
      $("batch-status").textContent = file.name + ": refused";
      $("batch-status").dataset.state = "error";
      setError($("batch-error"), await errorText(resp));
      return;
    }
    const job = await resp.json();
    progress(job);
    await poll(job.id);
  } catch (e) {
    setError($("batch-error"), "the server did not answer: " + e);
  } finally {
    $("batch-button").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("check-form").addEventListener("submit", submitCheck);
  $("q").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submitCheck(e);
  });
  $("batch-form").addEventListener("submit", upload);
  const p = new URLSearchParams(location.search);
  p.delete("token");
  fillForm(p);
  const given = formParams();
  if (given.toString()) check(given);
});
