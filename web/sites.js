// The sites as the audience sees them (the OGC API items, or the static export's copy of them),
// indexed by the ids their vector-tile features carry.
"use strict";

// The vector-tile feature id of a site: 64-bit FNV-1a of its id's UTF-8 bytes, kept below 2^53
// (as the server's tiler computes it).
function gaTileID(id) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(id)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return Number(hash & ((1n << 53n) - 1n));
}

// Every page of a FeatureCollection, following its `next` links; at most `max` features.
async function gaLoadSites(url, max = 50000) {
  const features = [];
  let next = url;
  while (next && features.length < max) {
    const response = await fetch(next, { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`${next}: ${response.status}`);
    const page = await response.json();
    features.push(...(page.features || []));
    const link = (page.links || []).find((l) => l.rel === "next");
    next = link ? new URL(link.href, new URL(next, location.href)).href : null;
  }
  return features;
}

// A site's name in `lang`, else in the other language, else its display name.
function gaName(p, lang) {
  const other = lang === "fa" ? "en" : "fa";
  return p["name:" + lang] || p["name:" + other] || p.name || "";
}

// The [west, south, east, north] box of a GeoJSON geometry.
function gaBox(geometry) {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c) => {
    if (typeof c[0] === "number") { w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]); }
    else c.forEach(walk);
  };
  if (geometry && geometry.coordinates) walk(geometry.coordinates);
  return [w, s, e, n];
}

// The sites, by tile id and by id, with their boxes.
class GaSites {
  constructor(features) {
    this.all = features.map((f) => ({
      id: String(f.id || f.properties.id), tileID: gaTileID(String(f.id || f.properties.id)),
      properties: f.properties || {}, geometry: f.geometry, box: gaBox(f.geometry),
    }));
    this.byTileID = new Map(this.all.map((s) => [s.tileID, s]));
    this.byID = new Map(this.all.map((s) => [s.id, s]));
  }

  // The sites whose box meets `bounds` ([w, s, e, n]).
  within(bounds) {
    const [w, s, e, n] = bounds;
    return this.all.filter((x) => x.box[0] <= e && x.box[2] >= w && x.box[1] <= n && x.box[3] >= s);
  }

  // Sites whose name in any language holds `text` (the static map's search).
  search(text) {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    return this.all.filter((x) => Object.entries(x.properties).some(([k, v]) =>
      (k === "name" || k.startsWith("name:")) && String(v).toLowerCase().includes(q)));
  }

  bounds() {
    const boxes = this.all.map((x) => x.box).filter((b) => isFinite(b[0]));
    if (!boxes.length) return null;
    return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])),
            Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
  }
}
