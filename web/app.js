// The web map: MapLibre draws the server's style (sites coloured by condition, clusters,
// areas) over the offline basemap; beside it, the sites in view, a site's panel, filters, search
// and the time slider. The URL keeps the state: ?lang=en|fa&year=YYYY&type=…&condition=…&status=…
// and the view as #zoom/lat/lon.
"use strict";

const GA_PALETTE = [["intact", "#2b8a3e"], ["damaged", "#f08c00"], ["destroyed", "#c92a2a"], ["built_over", "#862e9c"],
  ["exhumed", "#1971c2"], ["relocated", "#0c8599"], ["unknown", "#868e96"]];
const GA_FILTERS = { site_type: "type", condition: "condition", status: "status" };
const GA_VALUES = {
  site_type: ["mass_grave", "individual_grave", "cemetery", "cemetery_section", "execution_site", "suspected_site", "memorial"],
  condition: GA_PALETTE.map((p) => p[0]),
  status: ["suspected", "reported", "corroborated", "confirmed"],
};

const ga = {
  lang: "en", year: null, filters: { site_type: new Set(), condition: new Set(), status: new Set() },
  map: null, sites: null, settings: null, source: null, sourceLayer: null, layerIDs: [], palette: GA_PALETTE,
  selected: null, markers: [], clusterStates: new Map(), firstRender: null,
};
window.ga = ga;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function t(key, ...args) {
  const v = GA_TEXT[ga.lang][key];
  return typeof v === "function" ? v(...args) : v;
}

// MARK: URL state

function readURL() {
  const q = new URLSearchParams(location.search);
  ga.lang = q.get("lang") === "fa" ? "fa" : "en";
  const year = parseInt(q.get("year") || "", 10);
  ga.year = /^\d{4}$/.test(q.get("year") || "") && year >= 1800 && year <= 2200 ? year : null;
  for (const [field, name] of Object.entries(GA_FILTERS)) {
    ga.filters[field] = new Set((q.get(name) || "").split(",").filter((v) => GA_VALUES[field].includes(v)));
  }
}

function writeURL() {
  const q = new URLSearchParams();
  if (ga.lang !== "en") q.set("lang", ga.lang);
  if (ga.year !== null) q.set("year", String(ga.year));
  for (const [field, name] of Object.entries(GA_FILTERS)) if (ga.filters[field].size) q.set(name, [...ga.filters[field]].join(","));
  const search = q.toString();
  history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
}

// MARK: language

function applyLanguage() {
  const root = document.documentElement;
  root.lang = ga.lang;
  root.dir = ga.lang === "fa" ? "rtl" : "ltr";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of document.querySelectorAll("[data-placeholder]")) node.placeholder = t(node.dataset.placeholder);
  for (const node of document.querySelectorAll("[data-label]")) node.setAttribute("aria-label", t(node.dataset.label));
  for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === ga.lang));
  drawLegend();
  drawFilters();
  drawYear();
  if (ga.sites) { updateList(); updateMarkers(); if (ga.selected) openPanel(ga.selected, false); }
}

// MARK: legend, filters, time

function drawLegend() {
  const list = document.getElementById("legend");
  list.replaceChildren(...ga.palette.map(([c, colour]) =>
    el("li", {}, el("span", { class: "swatch", style: `background:${colour}` }), gaWord(ga.lang, "condition", c))));
}

function drawFilters() {
  for (const field of Object.keys(GA_FILTERS)) {
    const set = document.getElementById("filter-" + field);
    const legend = set.querySelector("legend");
    const group = { site_type: "site_type", condition: "condition", status: "status" }[field];
    const boxes = GA_VALUES[field].map((value) => {
      const box = el("input", { type: "checkbox", value, checked: ga.filters[field].has(value) });
      box.addEventListener("change", () => {
        if (box.checked) ga.filters[field].add(value); else ga.filters[field].delete(value);
        refresh();
      });
      return el("label", {}, box, " ", field === "site_type" ? (GA_TEXT[ga.lang].site_type[value] || value) : gaWord(ga.lang, group, value));
    });
    set.replaceChildren(legend, ...boxes);
  }
}

function yearRange() {
  let first = Infinity;
  for (const s of ga.sites ? ga.sites.all : []) for (const e of s.properties.events || []) {
    const start = gaEventStart(e);
    if (start) first = Math.min(first, +start.slice(0, 4));
  }
  const now = new Date().getUTCFullYear();
  return [isFinite(first) ? Math.min(first - 5, 1980) : 1980, now];
}

function drawYear() {
  const input = document.getElementById("year"), out = document.getElementById("year-text");
  const [min, max] = yearRange();
  input.min = String(min); input.max = String(max);
  input.value = String(ga.year === null ? max : ga.year);
  out.textContent = ga.year === null ? t("today") : (ga.lang === "fa" ? `${gaDate(String(ga.year), "fa")}` : String(ga.year));
  document.getElementById("year-clear").disabled = ga.year === null;
}

function passes(site, condition) {
  const p = site.properties;
  return (!ga.filters.site_type.size || ga.filters.site_type.has(p.site_type))
    && (!ga.filters.condition.size || ga.filters.condition.has(condition))
    && (!ga.filters.status.size || ga.filters.status.has(p.status));
}

function refresh() {
  writeURL();
  drawYear();
  applyStates();
  updateList();
  if (ga.selected) openPanel(ga.selected, false);
}

// MARK: the map's style

// A deep copy of `value` with `["get","condition"]` read through the feature's state first, so
// the time slider can recolour a site without new tiles.
function throughState(value) {
  if (!Array.isArray(value)) return value;
  if (value.length === 2 && value[0] === "get" && value[1] === "condition") {
    return ["coalesce", ["feature-state", "condition"], ["get", "condition"]];
  }
  if (value[0] === "literal") return value;
  return value.map(throughState);
}

function usesZoom(value) {
  return Array.isArray(value) && (value[0] === "zoom" || value.some(usesZoom));
}

// A site layer of the server's style made to follow feature state: `condition` (the time
// slider) and `hidden` (the filters).
function siteLayer(layer) {
  const l = JSON.parse(JSON.stringify(layer));
  const paint = l.paint || {};
  for (const key of Object.keys(paint)) if (key.endsWith("-color")) paint[key] = throughState(paint[key]);
  const opacities = { circle: ["circle-opacity", "circle-stroke-opacity"], fill: ["fill-opacity"], line: ["line-opacity"],
    symbol: ["text-opacity", "icon-opacity"] }[l.type] || [];
  for (const key of opacities) {
    if (usesZoom(paint[key])) continue;
    paint[key] = ["case", ["boolean", ["feature-state", "hidden"], false], 0, paint[key] === undefined ? 1 : paint[key]];
  }
  l.paint = paint;
  return l;
}

function paletteOf(style) {
  for (const layer of style.layers || []) {
    const colour = (layer.paint || {})["circle-color"];
    if (Array.isArray(colour) && colour[0] === "match" && JSON.stringify(colour[1]) === '["get","condition"]') {
      const pairs = [];
      for (let i = 2; i + 1 < colour.length; i += 2) pairs.push([colour[i], colour[i + 1]]);
      if (pairs.length) return pairs;
    }
  }
  return GA_PALETTE;
}

async function basemapStyle(basemap) {
  const background = { id: "ga-sea", type: "background", paint: { "background-color": "#dde8f0" } };
  if (basemap.type === "style") {
    const style = await (await fetch(basemap.url)).json();
    return style;
  }
  if (basemap.type === "raster") {
    return { version: 8, sources: { "ga-basemap": { type: "raster", tiles: [basemap.url], tileSize: 256 } },
      layers: [background, { id: "ga-basemap", type: "raster", source: "ga-basemap" }] };
  }
  if (basemap.type === "geojson") {
    return { version: 8, sources: { "ga-basemap": { type: "geojson", data: new URL(basemap.url, location.href).href } },
      layers: [background,
        { id: "ga-land", type: "fill", source: "ga-basemap", paint: { "fill-color": "#f8f9f5" } },
        { id: "ga-borders", type: "line", source: "ga-basemap", paint: { "line-color": "#a5aeb7", "line-width": 0.7 } }] };
  }
  return { version: 8, sources: {}, layers: [background] };
}

// The sites' vector sources with their TileJSON read here: URLs relative to the style (a static
// export's inline `{z}/{x}/{y}.mvt`, or an archive's `tilejson.json`) or to the TileJSON made
// absolute, which MapLibre does not do itself.
async function resolvedSources(style, styleURL) {
  const out = {};
  for (const [id, source] of Object.entries(style.sources || {})) {
    if (source.type === "vector" && !source.url && Array.isArray(source.tiles)) {
      out[id] = { ...source, tiles: source.tiles.map((t) => decodeURI(new URL(t, styleURL).href)) };
      continue;
    }
    if (source.type !== "vector" || !source.url || source.url.startsWith("pmtiles:")) { out[id] = { ...source }; continue; }
    const tileJSONURL = new URL(source.url, styleURL).href;
    const tilejson = await (await fetch(tileJSONURL)).json();
    const resolved = { type: "vector", tiles: (tilejson.tiles || []).map((t) => decodeURI(new URL(t, tileJSONURL).href)) };
    for (const key of ["minzoom", "maxzoom", "bounds", "attribution", "scheme"]) if (tilejson[key] !== undefined) resolved[key] = tilejson[key];
    if (source.attribution) resolved.attribution = source.attribution;
    out[id] = resolved;
  }
  return out;
}

// The basemap's sources and layers, then the sites' layers of the server's style (its text
// layers left out: labels and counts are HTML here, so no glyphs are needed).
function mergedStyle(base, sites, sources) {
  const style = { version: 8, name: sites.name || "GraveAtlas", sources: { ...base.sources }, layers: [...base.layers] };
  if (base.glyphs) style.glyphs = base.glyphs;
  if (base.sprite) style.sprite = base.sprite;
  for (const [id, source] of Object.entries(sources)) style.sources[id] = source;
  for (const layer of sites.layers || []) {
    if (layer.type === "symbol") continue;
    if (!layer["source-layer"]) continue;
    style.layers.push(siteLayer(layer));
    ga.layerIDs.push(layer.id);
    ga.source = layer.source;
    ga.sourceLayer = layer["source-layer"];
  }
  return style;
}

// MARK: feature state

function applyStates() {
  const map = ga.map;
  if (!map || !ga.source) return;
  for (const site of ga.sites.all) {
    const condition = gaConditionAsOf(site.properties, ga.year);
    map.setFeatureState({ source: ga.source, sourceLayer: ga.sourceLayer, id: site.tileID },
      { condition: ga.year === null ? null : condition, hidden: !passes(site, condition) });
  }
  ga.clusterStates.clear();
  updateClusters();
}

function renderedSiteFeatures() {
  if (!ga.map || !ga.layerIDs.length) return [];
  const seen = new Set(), out = [];
  for (const f of ga.map.queryRenderedFeatures({ layers: ga.layerIDs })) {
    const key = f.id === undefined ? JSON.stringify(f.geometry.coordinates).slice(0, 60) : f.id;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

function isGroup(f) { return f.properties && f.properties.point_count !== undefined; }

// A generalisation cell standing for more than one site (its `count`): drawn as the cell's
// square with that count, never as points.
function isCell(f) { return f.properties && f.properties.generalised === true && Number(f.properties.count) > 1; }

// Each cell drawn, by feature id: the box of all its drawn pieces (a cell crossing tiles comes
// back as one piece a tile), so that its count sits at the middle of what is shown of it.
function cellBoxes() {
  const boxes = new Map();
  for (const f of ga.map.queryRenderedFeatures({ layers: ga.layerIDs })) {
    if (!isCell(f)) continue;
    const b = gaBox(f.geometry), had = boxes.get(f.id);
    boxes.set(f.id, had ? [Math.min(had[0], b[0]), Math.min(had[1], b[1]), Math.max(had[2], b[2]), Math.max(had[3], b[3])] : b);
  }
  return boxes;
}

// Clusters and cells that stand for many sites take the condition most of their sites have as
// of the year, and hide when filters hide all of them. Which sites a cluster holds is read from
// the screen: each site not drawn on its own goes to the nearest group drawn.
function updateClusters() {
  const map = ga.map;
  const features = renderedSiteFeatures();
  const groups = features.filter(isGroup);
  if (!groups.length) return;
  const drawn = new Set(features.filter((f) => !isGroup(f)).map((f) => f.id));
  const centres = groups.map((f) => map.project(groupCentre(f)));
  const tallies = groups.map(() => new Map());
  const bounds = map.getBounds();
  for (const site of ga.sites.all) {
    if (drawn.has(site.tileID)) continue;
    const centre = [(site.box[0] + site.box[2]) / 2, (site.box[1] + site.box[3]) / 2];
    if (!bounds.contains(centre)) continue;
    const p = map.project(centre);
    let best = -1, distance = Infinity;
    centres.forEach((c, i) => { const d = Math.hypot(c.x - p.x, c.y - p.y); if (d < distance) { distance = d; best = i; } });
    if (best < 0) continue;
    const condition = gaConditionAsOf(site.properties, ga.year);
    if (!passes(site, condition)) { tallies[best].set("", (tallies[best].get("") || 0)); continue; }
    tallies[best].set(condition, (tallies[best].get(condition) || 0) + 1);
  }
  const filtering = ga.year !== null || Object.values(ga.filters).some((s) => s.size);
  groups.forEach((f, i) => {
    if (f.id === undefined) return;
    let state = { condition: null, hidden: false };
    if (filtering && tallies[i].size) {
      const ranked = [...tallies[i].entries()].filter(([c]) => c).sort((a, b) => b[1] - a[1]);
      state = ranked.length ? { condition: ga.year === null ? null : ranked[0][0], hidden: false } : { condition: null, hidden: true };
    }
    const key = JSON.stringify(state);
    if (ga.clusterStates.get(f.id) === key) return;
    ga.clusterStates.set(f.id, key);
    map.setFeatureState({ source: ga.source, sourceLayer: ga.sourceLayer, id: f.id }, state);
  });
}

function groupCentre(f) {
  if (f.geometry.type === "Point") return f.geometry.coordinates;
  const b = gaBox(f.geometry);
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

// MARK: labels and counts as HTML (the browser shapes Persian right to left; MapLibre's symbol
// layers would need the RTL text plugin and glyphs from another host)

function updateMarkers() {
  for (const m of ga.markers) m.remove();
  ga.markers = [];
  if (!ga.map) return;
  const cells = cellBoxes();
  for (const f of renderedSiteFeatures().slice(0, 400)) {
    const site = ga.sites.byTileID.get(f.id);
    if (isCell(f)) {
      const b = cells.get(f.id) || gaBox(f.geometry);
      const node = el("div", { class: "count cell-count", "aria-hidden": "true" }, gaNumber(Number(f.properties.count), ga.lang));
      ga.markers.push(new maplibregl.Marker({ element: node, anchor: "center" }).setLngLat([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]).addTo(ga.map));
      continue;
    }
    if (isGroup(f)) {
      const state = ga.map.getFeatureState({ source: ga.source, sourceLayer: ga.sourceLayer, id: f.id }) || {};
      if (state.hidden) continue;
      const node = el("div", { class: "count", "aria-hidden": "true" }, gaNumber(f.properties.point_count, ga.lang));
      ga.markers.push(new maplibregl.Marker({ element: node, anchor: "center" }).setLngLat(groupCentre(f)).addTo(ga.map));
      continue;
    }
    const properties = site ? site.properties : f.properties;
    if (site && !passes(site, gaConditionAsOf(site.properties, ga.year))) continue;
    const node = el("div", { class: "label", dir: "auto", "aria-hidden": "true" }, gaName(properties, ga.lang));
    ga.markers.push(new maplibregl.Marker({ element: node, anchor: "top" }).setLngLat(groupCentre(f)).addTo(ga.map));
  }
}

// MARK: the list of sites in view

function visibleSites() {
  if (!ga.map) return [];
  const b = ga.map.getBounds();
  return ga.sites.within([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()])
    .filter((s) => passes(s, gaConditionAsOf(s.properties, ga.year)))
    .sort((a, b) => gaName(a.properties, ga.lang).localeCompare(gaName(b.properties, ga.lang), ga.lang));
}

function siteMeta(site) {
  const condition = gaConditionAsOf(site.properties, ga.year);
  const event = gaEventAsOf(site.properties, ga.year);
  const date = event ? (event.date || event.date_from) : site.properties.date;
  return [gaWord(ga.lang, "condition", condition), date ? gaDate(date, ga.lang) : null].filter(Boolean).join(" · ");
}

function updateList() {
  const list = document.getElementById("sites");
  const shown = visibleSites();
  document.getElementById("list-count").textContent = t("count", shown.length);
  list.replaceChildren(...shown.slice(0, 500).map((site) => {
    const button = el("button", { type: "button", "data-site-id": site.id },
      el("span", { class: "site-name", dir: "auto" }, gaName(site.properties, ga.lang)),
      el("span", { class: "site-meta" }, siteMeta(site)));
    button.addEventListener("click", () => openPanel(site, true));
    return el("li", {}, button);
  }));
}

function moveFocus(event) {
  const buttons = [...event.currentTarget.querySelectorAll("button")];
  const i = buttons.indexOf(document.activeElement);
  const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (next === undefined || !buttons.length) return;
  event.preventDefault();
  buttons[Math.max(0, Math.min(buttons.length - 1, next))].focus();
}

// MARK: the site panel

function sourceItem(source) {
  const reference = source.reference || source.url || "";
  const safe = /^https?:\/\//.test(reference) || reference.startsWith("/") || /^[\w.\/-]+$/.test(reference);
  let sameHost = false;
  try { sameHost = safe && new URL(reference, location.href).host === location.host; } catch (e) { sameHost = false; }
  const image = sameHost && (source.type === "satellite_image" || /\.(png|jpe?g|webp|gif)$/i.test(reference));
  const title = source.title || reference;
  return el("li", {},
    safe && reference ? el("a", { href: reference, rel: "noopener noreferrer", target: "_blank", dir: "auto" }, title) : el("span", { dir: "auto" }, title),
    source.date ? " (" + gaDate(source.date, ga.lang) + ")" : null,
    image ? el("div", {}, el("img", { src: reference, alt: title, loading: "lazy" })) : null);
}

function openPanel(site, fly) {
  ga.selected = site;
  const p = site.properties;
  const panel = document.getElementById("panel");
  const names = Object.keys(p).filter((k) => k.startsWith("name:") && p[k]).sort()
    .map((k) => el("li", { lang: k.slice(5), dir: "auto" }, p[k]));
  const rows = [];
  const row = (label, value) => { if (value !== null && value !== undefined && value !== "") rows.push(el("dt", {}, label), el("dd", { dir: "auto" }, value)); };
  row(t("type"), GA_TEXT[ga.lang].site_type[p.site_type] || p.site_type);
  row(t("status"), gaWord(ga.lang, "status", p.status));
  const condition = gaConditionAsOf(p, ga.year);
  row(t("condition"), gaWord(ga.lang, "condition", condition) + (ga.year !== null ? ` (${t("asOf", ga.year)})` : ""));
  const precision = [p.location_precision ? gaWord(ga.lang, "precision", p.location_precision) : null,
    p.uncertainty_m ? gaDistance(p.uncertainty_m, ga.lang) : null].filter(Boolean).join(ga.lang === "fa" ? "، " : ", ");
  row(t("precision"), precision);
  if (p.victims_min !== undefined || p.victims_max !== undefined) {
    const range = [p.victims_min, p.victims_max].filter((v) => v !== undefined && v !== null);
    const text = [...new Set(range)].map((v) => gaNumber(v, ga.lang)).join("–");
    row(t("victims"), text + (p.victims_identified ? ` (${gaNumber(p.victims_identified, ga.lang)} ${t("identified")})` : ""));
  }
  row(t("period"), p.period);
  const events = [...(p.events || [])].sort((a, b) => String(gaEventStart(a)).localeCompare(String(gaEventStart(b))));
  const sources = [...(p.sources || []), ...events.flatMap((e) => e.sources || [])].filter((s) => s && typeof s === "object");
  const close = el("button", { type: "button", class: "close", "aria-label": t("close") }, "×");
  close.addEventListener("click", () => { panel.hidden = true; ga.selected = null; });
  panel.replaceChildren(...[
    close,
    el("h2", { dir: "auto" }, gaName(p, ga.lang)),
    names.length ? el("ul", { class: "names", "aria-label": t("names") }, names) : null,
    p.generalised ? el("p", { class: "note generalised" }, t("generalised", p.cell_size_deg || "?")) : null,
    el("dl", {}, rows),
    p.description ? el("p", { dir: "auto" }, p.description) : null,
    el("h3", {}, t("history")),
    events.length ? el("ol", { class: "timeline" }, events.map((e) => el("li", { "data-event": e.type },
      el("strong", {}, gaWord(ga.lang, "event", e.type)), " — ", e.date ? gaDate(e.date, ga.lang) : "?",
      e.description ? el("div", { dir: "auto" }, e.description) : null))) : el("p", { class: "muted" }, t("noEvents")),
    sources.length ? el("h3", {}, t("sources")) : null,
    sources.length ? el("ul", { class: "sources" }, sources.map(sourceItem)) : null].filter(Boolean));
  panel.hidden = false;
  if (!fly) panel.scrollIntoView({ block: "nearest" });
  if (fly && ga.map) {
    const b = site.box;
    ga.map.easeTo({ center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] });
    panel.focus({ preventScroll: false });
  }
}

// A cell of many generalised sites: the list of them in the panel.
function openCell(feature) {
  const b = (isCell(feature) && cellBoxes().get(feature.id)) || gaBox(feature.geometry);
  const inside = ga.sites.within(b).filter((s) => s.properties.generalised);
  if (inside.length === 1) return openPanel(inside[0], false);
  const panel = document.getElementById("panel");
  const close = el("button", { type: "button", class: "close", "aria-label": t("close") }, "×");
  close.addEventListener("click", () => { panel.hidden = true; });
  const deg = feature.properties.cell_size_deg || (inside[0] && inside[0].properties.cell_size_deg) || "?";
  panel.replaceChildren(close, el("h2", {}, t("cellCount", feature.properties.point_count || Number(feature.properties.count) || inside.length)),
    el("p", { class: "note generalised" }, t("generalised", deg)),
    el("ul", { class: "results" }, inside.map((s) => {
      const button = el("button", { type: "button" }, el("span", { class: "site-name", dir: "auto" }, gaName(s.properties, ga.lang)));
      button.addEventListener("click", () => openPanel(s, false));
      return el("li", {}, button);
    })));
  panel.hidden = false;
}

function onClick(event) {
  const box = [[event.point.x - 6, event.point.y - 6], [event.point.x + 6, event.point.y + 6]];
  const features = ga.map.queryRenderedFeatures(box, { layers: ga.layerIDs }).filter((f) => {
    const state = ga.map.getFeatureState({ source: ga.source, sourceLayer: ga.sourceLayer, id: f.id }) || {};
    return !state.hidden;
  });
  // Points before areas: a point drawn over an area is what the click meant.
  features.sort((a, b) => (a.geometry.type === "Point" ? 0 : 1) - (b.geometry.type === "Point" ? 0 : 1));
  const f = features[0];
  if (!f) return;
  if (isCell(f)) return openCell(f);
  const site = ga.sites.byTileID.get(f.id);
  if (site) return openPanel(site, false);
  if (isGroup(f) && (f.properties.generalised || f.geometry.type !== "Point")) return openCell(f);
  if (isGroup(f)) return ga.map.easeTo({ center: groupCentre(f), zoom: Math.min(ga.map.getZoom() + 2, ga.map.getMaxZoom()) });
  openPanel({ id: String(f.id), tileID: f.id, properties: f.properties, geometry: f.geometry, box: gaBox(f.geometry) }, false);
}

// MARK: search

async function onSearch(event) {
  event.preventDefault();
  const text = document.getElementById("search-text").value.trim();
  const results = document.getElementById("search-results");
  if (!text) { results.hidden = true; return; }
  let found;
  if (ga.settings.search) {
    const url = new URL(ga.settings.search, location.href);
    url.searchParams.set("q", text.slice(0, 200));
    url.searchParams.set("limit", "50");
    const response = await fetch(url);
    const answer = response.ok ? await response.json() : { features: [] };
    found = (answer.features || []).map((f) => ga.sites.byID.get(String(f.id)) || new GaSites([f]).all[0]);
  } else {
    found = ga.sites.search(text).slice(0, 50);
  }
  results.replaceChildren(...(found.length ? found.map((site) => {
    const button = el("button", { type: "button" }, el("span", { class: "site-name", dir: "auto" }, gaName(site.properties, ga.lang)),
      el("span", { class: "site-meta" }, siteMeta(site)));
    button.addEventListener("click", () => { results.hidden = true; openPanel(site, true); });
    return el("li", {}, button);
  }) : [el("li", { class: "muted" }, t("noResults"))]));
  results.hidden = false;
}

// MARK: start

async function main() {
  readURL();
  applyLanguage();
  const status = document.getElementById("status");
  status.textContent = t("loading");
  try {
    ga.settings = await (await fetch("map.json")).json();
    const styleURL = new URL(ga.settings.style, location.href).href;
    const [siteStyle, features, base] = await Promise.all([
      fetch(styleURL).then((r) => r.json()),
      gaLoadSites(ga.settings.sites),
      basemapStyle(ga.settings.basemap || { type: "none" }),
    ]);
    ga.sites = new GaSites(features);
    ga.palette = paletteOf(siteStyle);
    const style = mergedStyle(base, siteStyle, await resolvedSources(siteStyle, styleURL));
    const options = { container: "map", style, hash: true, attributionControl: { compact: true }, maxZoom: 18 };
    const bounds = ga.sites.bounds();
    if (!/^#[\d.]+\/-?[\d.]+\/-?[\d.]+/.test(location.hash) && bounds) {
      options.bounds = bounds;
      options.fitBoundsOptions = { padding: 50, maxZoom: 9 };
    }
    const map = new maplibregl.Map(options);
    ga.map = map;
    window.gaMap = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    map.on("load", () => { applyStates(); updateList(); });
    map.on("moveend", updateList);
    map.on("idle", () => {
      updateClusters();
      updateMarkers();
      if (ga.firstRender === null) {
        ga.firstRender = performance.now();
        document.body.dataset.ready = "true";
      }
    });
    map.on("click", onClick);
    map.on("mousemove", (e) => {
      const hit = map.queryRenderedFeatures([[e.point.x - 4, e.point.y - 4], [e.point.x + 4, e.point.y + 4]], { layers: ga.layerIDs });
      map.getCanvas().style.cursor = hit.length ? "pointer" : "";
    });
    drawYear();
    status.textContent = "";
  } catch (error) {
    status.textContent = t("loadFailed");
    console.warn(error);
  }
}

document.getElementById("year").addEventListener("input", (e) => { ga.year = +e.target.value; refresh(); });
document.getElementById("year-clear").addEventListener("click", () => { ga.year = null; refresh(); });
for (const button of document.querySelectorAll("[data-lang]")) {
  button.addEventListener("click", () => { ga.lang = button.dataset.lang; writeURL(); applyLanguage(); });
}
document.getElementById("sites").addEventListener("keydown", moveFocus);
document.getElementById("search-results").addEventListener("keydown", moveFocus);
document.getElementById("search").addEventListener("submit", onSearch);
main();
