#!/usr/bin/env python3
"""The style and TileJSON that `graveatlas export tiles` writes, in a plain MapLibre page: a page of a
few lines written here (MapLibre GL JS from web/vendor/ and `new maplibregl.Map({style: URL})`, none of
the web map's code), in Debian's chromium (headless, WebGL through SwiftShader) driven by playwright,
with the exports served by nginx on loopback. Checks, on the demo store:

  a. `export tiles --base-url http://127.0.0.1:PORT/tiles/`: the style as it is draws the seven sites in
     the `damaged` colour where they are; so does its TileJSON, given as the style's source URL;
  b. the export without `--base-url` (relative URLs): what MapLibre does with the style as it is (it
     resolves no URL against the style: nothing is drawn and the console says why), and that the
     README's one line (`transformRequest` resolving each URL against the style's) makes it draw;

over every page no request to another host, no glyph request, and no console error but those of (b)
as it is. Prints one line per check and the bytes and time of each page; exits 1 when a check fails.

    style_check.py --graveatlas .build/debug/graveatlas --repo . --artefacts artefacts/browser-style
"""
import argparse, base64, json, os, shutil, subprocess, sys, tempfile, time, urllib.parse, urllib.request

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from map_check import CHROMIUM, COUNT_PIXELS, DAMAGED, Checks, free_port, run, stop  # noqa: E402

# The whole page: MapLibre and a map of the style named by `?style=` (its URL as given, resolved
# against this page only to make it absolute, as a browser does with any link). `&tilejson=` puts
# the TileJSON at that URL in place of the style's source (the style fetched and changed here);
# `&resolve=1` adds the README's `transformRequest`, which reads every URL against the style's.
PLAIN_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>plain MapLibre</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<style>html, body, #map { margin: 0; width: 100%; height: 100%; }</style>
<script src="/maplibre/maplibre-gl.js"></script></head>
<body><div id="map"></div><script>
const q = new URLSearchParams(location.search);
const styleURL = new URL(q.get("style"), location.href).href;
async function start() {
  let style = styleURL;
  if (q.get("tilejson")) {
    style = await (await fetch(styleURL)).json();
    style.sources.sites = { type: "vector", url: new URL(q.get("tilejson"), location.href).href };
  }
  const options = { container: "map", style, center: [Number(q.get("lon")), Number(q.get("lat"))],
                    zoom: Number(q.get("zoom")), fadeDuration: 0, attributionControl: false };
  if (q.get("resolve") === "1") options.transformRequest = (url) => ({ url: new URL(url, styleURL).href });
  window.plainMap = new maplibregl.Map(options);
  plainMap.once("idle", () => { document.body.dataset.idle = "true"; });
  // MapLibre's own report of an error is the Error object, which the console shows as "Error": its message, here.
  plainMap.on("error", (e) => { console.error("map error: " + ((e.error && e.error.message) || e.error)); document.body.dataset.failed = "true"; });
}
start();
</script></body></html>
"""


def demo_store(graveatlas, repo, work):
    """The demo store, made from geodata/ as `tools/demo` makes it."""
    store = os.path.join(work, "demo.gpkg")
    geodata = os.path.join(repo, "geodata")
    run(graveatlas, ["init", store], work)
    run(graveatlas, ["import", store, os.path.join(geodata, "iran-1988-damaged-sites.geojson"),
                     "--mapping", os.path.join(geodata, "iran-1988-damaged-sites.mapping.yaml")], work)
    with open(os.path.join(geodata, "iran-1988-damaged-sites.geojson")) as f:
        features = json.load(f)["features"]
    return store, [f["geometry"]["coordinates"] for f in features]


def start_nginx(root, port, work):
    """nginx serving `root` at http://127.0.0.1:PORT/; a missing tile below an export is 204."""
    temp = os.path.join(work, "nginx")
    os.makedirs(temp, exist_ok=True)
    config = os.path.join(temp, "nginx.conf")
    with open(config, "w") as f:
        f.write(f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log;
events {{ worker_connections 64; }}
http {{
  types {{ text/html html; text/javascript js; text/css css; application/json json;
          application/vnd.mapbox-vector-tile mvt; }}
  default_type application/octet-stream;
  access_log {temp}/access.log;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location ~ ^/(tiles|relative)/.*\\.mvt$ {{ try_files $uri =204; }}
  }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", config, "-p", temp], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "plain.html").read()
            return process, base
        except Exception:
            if process.poll() is not None:
                raise SystemExit(f"nginx stopped: {process.stderr.read().decode()}")
            time.sleep(0.1)
    stop(process)
    raise SystemExit("nginx did not answer")


class PlainPage:
    """The plain page on one style, its requests and console watched."""

    def __init__(self, browser, base, query, width=1280, height=800, until="idle"):
        self.host = urllib.parse.urlsplit(base).netloc
        self.page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        self.errors, self.foreign, self.requests, self.failed = [], [], [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self.request)
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.responses = []
        self.page.on("response", lambda r: self.responses.append(r))
        started = time.time()
        self.page.goto(base + "plain.html?" + urllib.parse.urlencode(query))
        try:
            self.page.wait_for_selector(f"body[data-{until}=true]", timeout=60_000, state="attached")
            self.idle = self.page.evaluate("() => document.body.dataset.idle === 'true'")
        except Exception:
            self.idle = False
        if until != "idle":
            self.page.wait_for_timeout(3000)   # what else it asks for and draws once it has failed
        self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        self.seconds = time.time() - started

    def request(self, request):
        url = request.url
        if url.startswith("data:") or url.startswith("blob:"):
            return
        self.requests.append(url)
        if urllib.parse.urlsplit(url).netloc != self.host:
            self.foreign.append(url)

    def drawn(self, positions, shot):
        """Pixels of the `damaged` colour within 3 px of each position, and in the whole map."""
        points = self.page.evaluate("(ps) => ps.map((p) => { const q = plainMap.project(p); return [q.x, q.y]; })", positions)
        png = self.page.locator("#map").screenshot(path=shot)
        return self.page.evaluate(COUNT_PIXELS, {"png": base64.b64encode(png).decode(), "points": points, "radius": 3,
                                                 "colour": list(DAMAGED), "tolerance": 28})

    def weight(self):
        total = 0
        for r in self.responses:
            try:
                sizes = r.request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            except Exception:
                pass
        return total


def check_styles(browser, base, positions, artefacts, checks):
    view = {"lon": 52.9, "lat": 34.7, "zoom": 5}
    pages = []

    def drawn_everywhere(name, query, shot):
        page = PlainPage(browser, base, {**query, **view})
        pages.append(page)
        found = page.drawn(positions, os.path.join(artefacts, shot))
        at = sum(1 for n in found["at"] if n > 0)
        checks.check(name, page.idle and at == len(positions), f"{at}/{len(positions)} sites drawn, idle {page.idle}")
        tiles = [u for u in page.requests if u.endswith(".mvt")]
        print(f"figure {shot[:-4]}: {len(page.responses)} responses, {page.weight()} bytes, {len(tiles)} tile requests, "
              f"{page.seconds * 1000:.0f} ms to the map's first idle", flush=True)
        return page

    # a. With --base-url: the style, then its TileJSON, as they are.
    absolute = drawn_everywhere("the --base-url style loads as it is and draws every site in the damaged colour",
                                {"style": base + "tiles/style.json"}, "style-base-url.png")
    tiles = [u for u in absolute.requests if u.endswith(".mvt")]
    checks.check("its tiles are asked at the base URL", tiles and all(u.startswith(base + "tiles/") for u in tiles),
                 ", ".join(tiles[:3]))
    drawn_everywhere("the --base-url TileJSON as a style's source draws every site in the damaged colour",
                     {"style": base + "tiles/style.json", "tilejson": base + "tiles/tilejson.json"}, "tilejson-base-url.png")

    # b. Without --base-url, as it is: MapLibre 5.3 reads no URL against the style's.
    relative = PlainPage(browser, base, {"style": base + "relative/style.json", **view}, until="failed")
    found = relative.drawn(positions, os.path.join(artefacts, "style-relative-as-is.png"))
    asked = [u for u in relative.requests if ".mvt" in u or "{z}" in u]
    print(f"note the relative style as it is: idle {relative.idle}, {found['total']} damaged pixels, "
          f"tile requests {asked[:3]}, console: {' | '.join(e[:160] for e in relative.errors[:3])}", flush=True)
    checks.check("without --base-url the style as it is draws nothing (MapLibre resolves no URL against the style's)",
                 found["total"] == 0 and not any(u.startswith(base + "relative/") and u.endswith(".mvt") for u in asked),
                 f"{found['total']} damaged pixels")
    checks.check("and the console says why: a tile URL that cannot be parsed",
                 any("Failed to parse URL" in e or "Invalid URL" in e for e in relative.errors), " | ".join(relative.errors[:2]))
    # b, with the README's line.
    resolved = drawn_everywhere("without --base-url the README's transformRequest line makes it draw every site",
                                {"style": base + "relative/style.json", "resolve": "1"}, "style-relative-resolved.png")
    tiles = [u for u in resolved.requests if u.endswith(".mvt")]
    checks.check("its tiles are asked beside the style", tiles and all(u.startswith(base + "relative/") for u in tiles),
                 ", ".join(tiles[:3]))

    everything = pages + [relative]
    foreign = [u for p in everything for u in p.foreign]
    checks.check("no request went to another host", not foreign, ", ".join(foreign[:5]))
    glyphs = [u for p in everything for u in p.requests if ".pbf" in u or "fonts" in u or "glyphs" in u]
    checks.check("no glyph is asked for (none is exported)", not glyphs, ", ".join(glyphs[:3]))
    errors = [e for p in pages for e in p.errors]
    checks.check("no errors in the browser console (but the relative style's as it is)", not errors, " | ".join(errors[:5]))
    for p in everything:
        p.page.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--graveatlas", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--artefacts", required=True)
    a = parser.parse_args()
    os.makedirs(a.artefacts, exist_ok=True)
    repo = os.path.abspath(a.repo)
    a.graveatlas = os.path.abspath(a.graveatlas)
    work = tempfile.mkdtemp(prefix="ga-style-")
    os.chmod(work, 0o755)
    checks = Checks()
    server = None
    try:
        store, positions = demo_store(a.graveatlas, repo, work)
        root = os.path.join(work, "www")
        os.makedirs(os.path.join(root, "maplibre"))
        for name in ("maplibre-gl.js", "maplibre-gl.css"):
            shutil.copy(os.path.join(repo, "web", "vendor", name), os.path.join(root, "maplibre", name))
        with open(os.path.join(root, "plain.html"), "w") as f:
            f.write(PLAIN_PAGE)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        run(a.graveatlas, ["export", "tiles", store, "-o", os.path.join(root, "tiles"), "--base-url", base + "tiles/"], work)
        run(a.graveatlas, ["export", "tiles", store, "-o", os.path.join(root, "relative")], work)
        with open(os.path.join(root, "tiles", "style.json")) as f:
            style = json.load(f)
        checks.check("the exported style names no glyphs and draws no text",
                     "glyphs" not in style and not any(l["type"] == "symbol" for l in style["layers"]))
        server, base = start_nginx(root, port, work)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
            try:
                check_styles(browser, base, positions, a.artefacts, checks)
            finally:
                browser.close()
    finally:
        stop(server)
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {os.path.abspath(a.artefacts)}", flush=True)
    if checks.failed:
        print(f"{len(checks.failed)} check(s) failed", flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
