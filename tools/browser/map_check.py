#!/usr/bin/env python3
"""The web map in a real browser: Debian's chromium, headless, WebGL through SwiftShader, driven by
playwright. Starts `graveatlas serve` on loopback (a copy of the demo store, and a store holding a
restricted site), or checks a URL already served (a static `export map` folder behind nginx), and
checks what issue 17 asks of the page, with the demo's clusters and their counts at zoom 3, every site on
its own at zoom 14, and a store of 79 restricted sites in one cell (its square and count 79 at every zoom).
Prints one line per check, the screenshots' folder, the page
weight and the time to first render; exits 1 when a check fails.

    map_check.py --graveatlas .build/debug/graveatlas --repo . --artefacts artefacts/browser-map
    map_check.py --graveatlas … --repo . --artefacts … --static   # `export map` folders served by nginx
    map_check.py --url http://127.0.0.1:8089/ --restricted-url http://127.0.0.1:8090/ --artefacts …
"""
import argparse, base64, json, os, shutil, signal, sqlite3, subprocess, sys, tempfile, time, urllib.parse, urllib.request

from playwright.sync_api import sync_playwright

DAMAGED = (0xF0, 0x8C, 0x00)  # the style's `damaged` colour, #f08c00
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class Checks:
    def __init__(self):
        self.failed = []

    def check(self, name, ok, detail=""):
        print(("ok    " if ok else "FAIL  ") + name + (f": {detail}" if detail else ""), flush=True)
        if not ok:
            self.failed.append(name)


def start_server(graveatlas, arguments, cwd, log):
    """`graveatlas serve … --port 0`; its printed URL (waits up to 120 s)."""
    out = open(log + ".out", "w+")
    err = open(log + ".err", "w")
    process = subprocess.Popen([graveatlas, "serve", *arguments, "--host", "127.0.0.1", "--port", "0"],
                               cwd=cwd, stdout=out, stderr=err, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        out.seek(0)
        line = out.readline()
        if line.endswith("\n"):
            return process, line.strip()
        time.sleep(0.05)
    process.kill()
    raise SystemExit(f"serve printed no URL; stderr: {open(log + '.err').read()}")


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run(graveatlas, arguments, cwd):
    done = subprocess.run([graveatlas, *arguments], cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"graveatlas {' '.join(arguments)}: {done.stderr}")


def demo_with_history(graveatlas, repo, work, checks):
    """The demo store, built by `serve` from geodata/ in `work`, as `tools/demo` builds it: its
    import mapping records each site's damage reported between 2003 and 2017 as a dated event."""
    os.symlink(os.path.join(repo, "geodata"), os.path.join(work, "geodata"))
    process, _ = start_server(graveatlas, ["--web", os.path.join(repo, "web")], work, os.path.join(work, "demo-build"))
    stop(process)
    store = os.path.join(work, "demo", "iran-1988.gpkg")
    db = sqlite3.connect(store)
    dated = db.execute("SELECT count(DISTINCT site_id) FROM site_events WHERE event_type = 'damaged' "
                       "AND date_from = '2003-01-01' AND date_to = '2017-12-31'").fetchone()[0]
    db.close()
    checks.check("the demo store dates each site's damage 2003/2017", dated == 7, f"{dated} sites")
    return store


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(folders, work):
    """nginx serving each folder on a port of its own (a config in `work`); its process and the URLs."""
    ports = [free_port() for _ in folders]
    temp = os.path.join(work, "nginx")
    os.makedirs(temp, exist_ok=True)
    servers = "\n".join(f"""  server {{
    listen 127.0.0.1:{port};
    root {folder};
    location /tiles/ {{ try_files $uri =204; }}
  }}""" for port, folder in zip(ports, folders))
    config = os.path.join(temp, "nginx.conf")
    with open(config, "w") as f:
        f.write(f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log;
events {{ worker_connections 64; }}
http {{
  types {{ text/html html; text/javascript js; text/css css; application/json json; application/geo+json geojson;
          application/vnd.mapbox-vector-tile mvt; image/png png; }}
  default_type application/octet-stream;
  access_log off;
  gzip on;
  gzip_types text/javascript text/css application/json application/geo+json application/vnd.mapbox-vector-tile;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
{servers}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", config, "-p", temp], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    urls = [f"http://127.0.0.1:{port}/" for port in ports]
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            for url in urls:
                urllib.request.urlopen(url + "map.json").read()
            return process, urls
        except Exception:
            if process.poll() is not None:
                raise SystemExit(f"nginx stopped: {process.stderr.read().decode()}")
            time.sleep(0.1)
    stop(process)
    raise SystemExit("nginx did not answer")


def restricted_store(graveatlas, work):
    """A store holding one restricted site (a point in Tehran), which the public sees generalised."""
    folder = os.path.join(work, "restricted")
    os.makedirs(folder)
    with open(os.path.join(folder, "site.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "features": [{"type": "Feature",
                   "geometry": {"type": "Point", "coordinates": [51.4321, 35.7123]},
                   "properties": {"key": "r1", "name": "Protected site", "name_fa": "مکان محافظت‌شده", "site_type": "mass_grave",
                                  "status": "reported", "condition": "damaged"}}]}, f)
    with open(os.path.join(folder, "mapping.yaml"), "w") as f:
        f.write("dataset: restricted-check\nkey: key\nset: {sensitivity: restricted}\nfields: {name: name}\nnames: {fa: name_fa}\n")
    store = os.path.join(folder, "store.gpkg")
    run(graveatlas, ["init", store], folder)
    run(graveatlas, ["import", store, "site.geojson", "--mapping", "mapping.yaml"], folder)
    return store


def cell_store(graveatlas, work):
    """A store of 79 restricted sites in one 0.1° cell (75.2–75.1° W, 39.9–40.0° N, Philadelphia's
    centre), all destroyed, and 3 of mixed condition in the cell east of it, as
    `GeneralisedCellTileTests` has them: the public sees two cells, with their counts."""
    import random
    folder = os.path.join(work, "cells")
    os.makedirs(folder)
    rng = random.Random(79)
    features = []
    for i in range(79):
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
            -75.15 + rng.uniform(-0.045, 0.045), 39.95 + rng.uniform(-0.045, 0.045)]},
            "properties": {"key": f"c{i}", "name": f"Cell site {i}", "site_type": "mass_grave", "status": "reported",
                           "condition": "destroyed"}})
    for i, condition in enumerate(["destroyed", "intact", "destroyed"]):
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [-75.05 + i * 0.01, 39.96]},
                         "properties": {"key": f"m{i}", "name": f"Mixed site {i}", "site_type": "mass_grave",
                                        "status": "reported", "condition": condition}})
    with open(os.path.join(folder, "sites.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f)
    with open(os.path.join(folder, "mapping.yaml"), "w") as f:
        f.write("dataset: cell-check\nkey: key\nset: {sensitivity: restricted}\nfields: {name: name}\n")
    store = os.path.join(folder, "store.gpkg")
    run(graveatlas, ["init", store], folder)
    run(graveatlas, ["import", store, "sites.geojson", "--mapping", "mapping.yaml"], folder)
    return store


# In the page: decode a PNG screenshot and count pixels of `colour` (±tolerance per channel) near
# each point, and in the whole image.
COUNT_PIXELS = """async ({png, points, radius, colour, tolerance}) => {
  const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], {type: "image/png"}));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext("2d");
  g.drawImage(bitmap, 0, 0);
  const data = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const near = (i) => Math.abs(data[i] - colour[0]) <= tolerance && Math.abs(data[i + 1] - colour[1]) <= tolerance
    && Math.abs(data[i + 2] - colour[2]) <= tolerance;
  let total = 0;
  for (let i = 0; i < data.length; i += 4) if (near(i)) total++;
  const at = points.map(([x, y]) => {
    let n = 0;
    for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) {
      const px = Math.round(x + dx), py = Math.round(y + dy);
      if (px < 0 || py < 0 || px >= bitmap.width || py >= bitmap.height) continue;
      if (near((py * bitmap.width + px) * 4)) n++;
    }
    return n;
  });
  return {total, at, width: bitmap.width, height: bitmap.height};
}"""


class Page:
    """A page with its requests and console watched."""

    def __init__(self, browser, base, width=1280, height=800):
        self.base = base
        self.host = urllib.parse.urlsplit(base).netloc
        self.page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        self.errors, self.foreign, self.responses = [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self.request)
        self.page.on("response", lambda r: self.responses.append(r))

    def request(self, request):
        url = request.url
        if url.startswith("blob:"):
            url = url[5:]
        if url.startswith("data:"):
            return
        if urllib.parse.urlsplit(url).netloc != self.host:
            self.foreign.append(request.url)

    def open(self, query=""):
        self.page.goto(self.base + query)
        self.page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        self.settle()

    def settle(self):
        """Waits until the map has drawn everything asked of it (its next `idle`)."""
        self.page.evaluate("() => new Promise((done) => { gaMap.once('idle', done); gaMap.triggerRepaint(); })")
        self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")

    def settle(self):
        """Waits until the map has stopped moving (a site opened from the list eases the map to it)."""
        self.page.wait_for_function("() => !gaMap.isMoving() && gaMap.loaded()", timeout=30_000)

    def project(self, sites):
        return self.page.evaluate("(ps) => ps.map((p) => { const q = gaMap.project(p); return [q.x, q.y]; })",
                                  [s["centre"] for s in sites])

    def pixels(self, points, colour=DAMAGED, radius=3, shot=None):
        png = self.page.locator("#map").screenshot(path=shot)
        return self.page.evaluate(COUNT_PIXELS, {"png": base64.b64encode(png).decode(), "points": points, "radius": radius,
                                                 "colour": list(colour), "tolerance": 28})

    def close(self):
        self.page.close()


def sites_of(base):
    with urllib.request.urlopen(urllib.parse.urljoin(base, "map.json")) as r:
        settings = json.load(r)
    url = urllib.parse.urljoin(base, settings["sites"])
    features = []
    while url:
        with urllib.request.urlopen(url) as r:
            page = json.load(r)
        features += page["features"]
        url = next((l["href"] for l in page.get("links", []) if l["rel"] == "next"), None)
    out = []
    for f in features:
        w, s, e, n = f.get("bbox") or (f["geometry"]["coordinates"] * 2)[:4]
        out.append({"id": f["id"], "name": f["properties"].get("name:en") or f["properties"].get("name"),
                    "fa": f["properties"].get("name:fa"), "centre": [(w + e) / 2, (s + n) / 2],
                    "properties": f["properties"]})
    return out


def check_map(browser, base, restricted, artefacts, checks):
    sites = sites_of(base)
    checks.check("the store holds the seven demo sites", len(sites) == 7, f"{len(sites)} sites")
    page = Page(browser, base)
    page.open()
    first_render = page.page.evaluate("ga.firstRender")
    first_view = list(page.responses)

    # Sites drawn: the damaged colour where each site is.
    page.page.screenshot(path=os.path.join(artefacts, "page-en.png"))
    found = page.pixels(page.project(sites), shot=os.path.join(artefacts, "map-en.png"))
    drawn = [s["name"] for s, n in zip(sites, found["at"]) if n > 0]
    checks.check("every site is drawn in the damaged colour where it is", len(drawn) == 7, f"{len(drawn)}/7: {drawn}")

    # The list names all seven.
    listed = page.page.locator("#sites .site-name").all_inner_texts()
    checks.check("the list names all seven sites in the initial view", sorted(listed) == sorted(s["name"] for s in sites),
                 ", ".join(listed))

    # Keyboard: the list is reached by Tab and walked with the arrow keys; Enter opens the panel.
    page.page.locator("#sites button").first.focus()
    page.page.keyboard.press("ArrowDown")
    focused = page.page.evaluate("document.activeElement.dataset.siteId")
    page.page.keyboard.press("Enter")
    page.page.wait_for_selector("#panel:not([hidden])")
    second = page.page.locator("#sites button").nth(1).get_attribute("data-site-id")
    checks.check("the list is walked with the arrow keys and Enter opens the panel", focused == second and
                 page.page.locator("#panel h2").inner_text() == listed[1], page.page.locator("#panel h2").inner_text())
    page.page.locator("#panel .close").click()

    # A click on a site opens its panel with its event.
    khavaran = next(s for s in sites if s["name"].startswith("Khavaran"))
    page.settle()
    x, y = page.project([khavaran])[0]
    box = page.page.locator("#map").bounding_box()
    page.page.mouse.click(box["x"] + x, box["y"] + y)
    page.page.wait_for_selector("#panel:not([hidden])", timeout=10_000)
    panel = page.page.locator("#panel").inner_text()
    checks.check("a click on Khavaran opens its panel with its damage event",
                 "Khavaran" in panel and page.page.locator("#panel [data-event=damaged]").count() >= 1 and "2003" in panel,
                 panel.replace("\n", " | ")[:200])
    checks.check("its panel cites the report as the event's public source",
                 page.page.locator("#panel .sources li").filter(has_text="Criminal Cover-Up").count() >= 1, panel[-300:])
    page.page.screenshot(path=os.path.join(artefacts, "panel-en.png"))

    # The time slider: 2000 before the reported damage, 2018 after it (from the initial view again).
    page.open()
    page.page.locator("#year").fill("2000")
    page.settle()
    before = page.pixels(page.project(sites), shot=os.path.join(artefacts, "year-2000.png"))
    checks.check("with the slider at 2000 no site is in the damaged colour", before["total"] == 0 and not any(before["at"]),
                 f"{before['total']} damaged pixels")
    checks.check("the URL keeps the year", "year=2000" in page.page.url, page.page.url)
    page.page.locator("#year").fill("2018")
    page.settle()
    after = page.pixels(page.project(sites), shot=os.path.join(artefacts, "year-2018.png"))
    checks.check("with the slider at 2018 all seven sites are in the damaged colour", all(n > 0 for n in after["at"]),
                 f"{sum(1 for n in after['at'] if n > 0)}/7")

    # Filters: condition=destroyed hides every (damaged) site, from the map and the list.
    page.page.goto(base + "?condition=destroyed")
    page.page.wait_for_selector("body[data-ready=true]", timeout=120_000)
    page.settle()
    filtered = page.pixels(page.project(sites))
    checks.check("a condition filter hides the sites it leaves out", filtered["total"] == 0 and
                 page.page.locator("#sites .site-name").count() == 0, f"{filtered['total']} pixels")

    # Search through /search (or the static data), Persian text in, the site out.
    page.page.goto(base)
    page.page.wait_for_selector("body[data-ready=true]", timeout=120_000)
    page.page.locator("#search-text").fill("خاوران")
    page.page.locator("#search button").click()
    page.page.wait_for_selector("#search-results:not([hidden]) .site-name", timeout=10_000)
    results = page.page.locator("#search-results .site-name").all_inner_texts()
    checks.check("search finds «خاوران»", results[:1] == ["Khavaran, Tehran"], ", ".join(results))

    # Persian: right to left, Persian names, Solar Hijri dates with Persian digits, shared URL restored.
    page.page.goto(base + "?lang=fa&year=2018#6/35.7/51.4")
    page.page.wait_for_selector("body[data-ready=true]", timeout=120_000)
    page.settle()
    direction = page.page.evaluate("document.documentElement.dir")
    text = page.page.locator("body").inner_text()
    checks.check("?lang=fa gives dir=rtl and «خاوران»", direction == "rtl" and "خاوران" in text, direction)
    checks.check("a shared URL restores year and view", page.page.locator("#year").input_value() == "2018"
                 and abs(page.page.evaluate("gaMap.getZoom()") - 6) < 0.01, page.page.url)
    page.page.locator("#sites button").first.click()
    page.page.wait_for_selector("#panel:not([hidden])")
    panel = page.page.locator("#panel").inner_text()
    checks.check("Persian dates are Solar Hijri with Persian digits, the Gregorian beside them",
                 "۱۳۸۱" in panel and "۲۰۰۳" in panel, panel.replace("\n", " | ")[:240])
    labels = page.page.locator(".label").all_inner_texts()
    checks.check("Persian names are drawn on the map as HTML labels", any("خاوران" in l for l in labels), ", ".join(labels))
    page.page.screenshot(path=os.path.join(artefacts, "map-fa.png"))

    # A phone: 360 px wide, the map and the list both there.
    phone = Page(browser, base, 360, 740)
    phone.open()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    checks.check("usable 360 px wide (no sideways scrolling, map and list shown)", width <= 360 and
                 phone.page.locator("#map").bounding_box()["width"] >= 340 and phone.page.locator("#sites .site-name").count() == 7,
                 f"page width {width}")
    phone.page.screenshot(path=os.path.join(artefacts, "phone.png"), full_page=True)

    # The restricted site at public: drawn as its grid cell, never as a point of its own.
    cell = Page(browser, restricted)
    cell.open()
    drawn = cell.page.evaluate("""() => gaMap.queryRenderedFeatures({layers: ga.layerIDs})
        .map((f) => ({type: f.geometry.type, generalised: f.properties.generalised, coordinates: f.geometry.coordinates}))""")
    item = sites_of(restricted)[0]
    cellsize = item["properties"].get("cell_size_deg")
    polygons = [f for f in drawn if f["type"] in ("Polygon", "MultiPolygon")]
    checks.check("the restricted site is drawn as a polygon at public", bool(polygons), str(drawn))
    if polygons:
        # Tile coordinates are quantised (4096 steps a tile): the cell's width within a thousandth of a degree.
        ring = polygons[0]["coordinates"][0] if polygons[0]["type"] == "Polygon" else polygons[0]["coordinates"][0][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        checks.check("the restricted site is drawn as a cell at public", abs((max(xs) - min(xs)) - cellsize) < 1e-3 and
                     min(xs) <= 51.4321 <= max(xs) and min(ys) <= 35.7123 <= max(ys), f"{min(xs)},{min(ys)} – {max(xs)},{max(ys)}")
    points = [f["coordinates"] for f in drawn if f["type"] == "Point"]
    checks.check("the restricted site is drawn as no point", not points, str(points))
    x, y = cell.page.evaluate("(p) => { const q = gaMap.project(p); return [q.x, q.y]; }", item["centre"])
    box = cell.page.locator("#map").bounding_box()
    cell.page.mouse.click(box["x"] + x, box["y"] + y)
    cell.page.wait_for_selector("#panel:not([hidden])", timeout=10_000)
    note = cell.page.locator("#panel .generalised").inner_text()
    checks.check("its panel says the location is generalised to the cell size", f"{cellsize}°" in note, note)
    cell.page.screenshot(path=os.path.join(artefacts, "restricted-public.png"))

    # Over every page: no other host, no console error.
    pages = [page, phone, cell]
    foreign = [u for p in pages for u in p.foreign]
    errors = [e for p in pages for e in p.errors]
    checks.check("no request went to another host", not foreign, ", ".join(foreign[:5]))
    checks.check("no errors in the browser console", not errors, " | ".join(errors[:5]))

    # Page weight: the bytes of the first view (its responses up to the first render: page, scripts,
    # settings, style, sites, basemap, tiles), headers included.
    weight = 0
    for r in first_view:
        try:
            sizes = r.request.sizes()
            weight += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:
            pass
    print(f"figure first view: {len(first_view)} requests, {weight} bytes transferred ({weight / 1024:.0f} KiB); "
          f"first render (the map's first idle, every tile drawn) {first_render:.0f} ms after navigation start", flush=True)
    for p in pages:
        p.close()


def view(page, lon, lat, zoom):
    """Moves the map and waits for the idle after it (the page's own idle handler, which draws the
    counts, runs first)."""
    page.page.evaluate("(v) => new Promise((done) => { gaMap.once('idle', done); gaMap.jumpTo(v); gaMap.triggerRepaint(); })",
                       {"center": [lon, lat], "zoom": zoom})


# In the page: each drawn feature of the sites' layers, once (a feature crossing tiles comes once a tile).
DRAWN = """() => { const seen = new Map();
  for (const f of gaMap.queryRenderedFeatures({layers: ga.layerIDs})) {
    const key = f.id === undefined ? JSON.stringify(f.geometry.coordinates).slice(0, 80) : f.id;
    if (!seen.has(key)) seen.set(key, {id: f.id, type: f.geometry.type, properties: f.properties,
      point: f.geometry.type === "Point" ? f.geometry.coordinates : null,
      screen: f.geometry.type === "Point" ? [gaMap.project(f.geometry.coordinates).x, gaMap.project(f.geometry.coordinates).y] : null});
  }
  return [...seen.values()]; }"""


def check_clusters(browser, base, sites, artefacts, checks):
    """Clusters with their counts at low zoom (each the number of sites it stands for, read from the
    site list), and every site on its own at the tiles' maximum zoom."""
    page = Page(browser, base)
    page.open("#3/34.5/53")
    view(page, 53, 34.5, 3)
    drawn = page.page.evaluate(DRAWN)
    clusters = [f for f in drawn if "point_count" in f["properties"]]
    alone = [f for f in drawn if "point_count" not in f["properties"] and f["type"] == "Point"]
    counts = sorted(int(f["properties"]["point_count"]) for f in clusters)
    shown = sorted(int(t) for t in page.page.locator("#map .count").all_inner_texts() if t.strip().isdigit())
    page.page.locator("#map").screenshot(path=os.path.join(artefacts, "clusters-z3.png"))
    checks.check("at zoom 3 the demo sites are drawn as clusters, each with its count shown",
                 bool(clusters) and shown == counts, f"counts drawn {shown}, clusters' point_count {counts}, {len(alone)} alone")
    checks.check("the clusters and the sites drawn alone are the seven of the list", sum(counts) + len(alone) == len(sites) == 7,
                 f"{sum(counts)} in clusters + {len(alone)} alone, {len(sites)} listed")
    # Each cluster stands for the listed sites nearest to it on screen that are not drawn alone.
    positions = page.project(sites)
    alone_ids = {f["id"] for f in alone}
    tiles = page.page.evaluate("(ids) => ids.map((id) => ga.sites.all.find((s) => s.id === id).tileID)", [s["id"] for s in sites])
    tally = [0] * len(clusters)
    for (x, y), tile in zip(positions, tiles):
        if tile in alone_ids or not clusters:
            continue
        nearest = min(range(len(clusters)), key=lambda i: (clusters[i]["screen"][0] - x) ** 2 + (clusters[i]["screen"][1] - y) ** 2)
        tally[nearest] += 1
    checks.check("each cluster's count is the number of listed sites it stands for",
                 [int(f["properties"]["point_count"]) for f in clusters] == tally, f"{tally}")
    # The tiles' maximum zoom: each site drawn as itself, and no cluster.
    separate = []
    for site, tile in zip(sites, tiles):
        view(page, site["centre"][0], site["centre"][1], 14)
        here = page.page.evaluate(DRAWN)
        if any(f["id"] == tile for f in here) and not any("point_count" in f["properties"] for f in here):
            separate.append(site["name"])
    checks.check("at zoom 14 every site is drawn on its own", len(separate) == 7, f"{len(separate)}/7: {separate}")
    return page


def check_cells(browser, base, artefacts, checks):
    """79 generalised sites in one cell: that cell's square with the count 79 at every zoom, no point in it."""
    items = sites_of(base)
    checks.check("the cell store's public list holds its 82 sites, generalised", len(items) == 82 and
                 all(s["properties"].get("generalised") for s in items), f"{len(items)} sites")
    page = Page(browser, base)
    page.open("#5/39.95/-75.15")
    right = []
    for zoom in (3, 5, 9, 12, 14):
        view(page, -75.15, 39.95, zoom)
        drawn = page.page.evaluate(DRAWN)
        squares = [f for f in drawn if f["properties"].get("generalised") and f["properties"].get("count") == 79]
        inside = [f for f in drawn if f["type"] == "Point" and -75.2 < f["point"][0] < -75.1 and 39.9 < f["point"][1] < 40.0]
        counts = page.page.locator("#map .cell-count").all_inner_texts()
        if len(squares) == 1 and squares[0]["type"] in ("Polygon", "MultiPolygon") and not inside and "79" in counts:
            right.append(zoom)
        else:
            print(f"note zoom {zoom}: {len(squares)} squares of 79, {len(inside)} points in the cell, counts {counts}", flush=True)
        if zoom == 14:
            page.page.locator("#map").screenshot(path=os.path.join(artefacts, "cell-79-z14.png"))
            # The cell is some 2,300 by 2,800 pixels here: its square fills the view to every corner
            # (the tile set's bounds take in the squares, or only the tiles at its centre are asked for).
            corners = page.page.evaluate("""() => { const c = gaMap.getCanvas(), w = c.clientWidth, h = c.clientHeight;
              return [[8, 8], [w - 8, 8], [8, h - 8], [w - 8, h - 8]].map(([x, y]) =>
                gaMap.queryRenderedFeatures([x, y], {layers: ga.layerIDs}).some((f) => f.properties.count === 79)); }""")
            checks.check("at zoom 14 the cell's square covers the view to every corner", all(corners), f"{corners}")
    checks.check("79 generalised sites in one cell are its square with the count 79 at zooms 3, 5, 9, 12 and 14, no point in it",
                 right == [3, 5, 9, 12, 14], f"right at {right}")
    view(page, -75.15, 39.95, 9)
    box = page.page.locator("#map").bounding_box()
    x, y = page.page.evaluate("() => { const q = gaMap.project([-75.13, 39.93]); return [q.x, q.y]; }")
    page.page.mouse.click(box["x"] + x, box["y"] + y)
    page.page.wait_for_selector("#panel:not([hidden])", timeout=10_000)
    title = page.page.locator("#panel h2").inner_text()
    listed = page.page.locator("#panel .results li").count()
    checks.check("a click in the cell lists its 79 sites", title.startswith("79") and listed == 79, f"{title}: {listed} listed")
    return page


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--graveatlas")
    parser.add_argument("--repo")
    parser.add_argument("--url")
    parser.add_argument("--restricted-url")
    parser.add_argument("--artefacts", required=True)
    parser.add_argument("--static", action="store_true", help="check `export map` folders served by nginx")
    a = parser.parse_args()
    os.makedirs(a.artefacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="ga-browser-")
    servers = []
    checks = Checks()
    try:
        base, restricted, cells_base = a.url, a.restricted_url, None
        if not base:
            repo = os.path.abspath(a.repo)
            web = os.path.join(repo, "web")
            demo = demo_with_history(a.graveatlas, repo, work, checks)
            store = restricted_store(a.graveatlas, work)
            cells = cell_store(a.graveatlas, work)
            if a.static:
                os.chmod(work, 0o755)
                folders = []
                for name, source in (("demo-map", demo), ("restricted-map", store), ("cells-map", cells)):
                    folder = os.path.join(work, name)
                    run(a.graveatlas, ["export", "map", source, "-o", folder, "--audience", "public", "--web", web], work)
                    folders.append(folder)
                process, (base, restricted, cells_base) = start_nginx(folders, work)
                servers.append(process)
            else:
                process, base = start_server(a.graveatlas, ["demo/iran-1988.gpkg", "--web", web], work, os.path.join(work, "demo"))
                servers.append(process)
                process, restricted = start_server(a.graveatlas, [store, "--web", web], work, os.path.join(work, "restricted"))
                servers.append(process)
                process, cells_base = start_server(a.graveatlas, [cells, "--web", web], work, os.path.join(work, "cells"))
                servers.append(process)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
            try:
                check_map(browser, base, restricted, a.artefacts, checks)
                if cells_base:
                    groups = [check_clusters(browser, base, sites_of(base), a.artefacts, checks),
                              check_cells(browser, cells_base, a.artefacts, checks)]
                    errors = [e for p in groups for e in p.errors]
                    foreign = [u for p in groups for u in p.foreign]
                    checks.check("no console error and no other host on the cluster and cell pages", not errors and not foreign,
                                 " | ".join(errors[:3] + foreign[:3]))
                    for p in groups:
                        p.close()
            finally:
                browser.close()
    finally:
        for s in servers:
            stop(s)
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {os.path.abspath(a.artefacts)}", flush=True)
    if checks.failed:
        print(f"{len(checks.failed)} check(s) failed", flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
