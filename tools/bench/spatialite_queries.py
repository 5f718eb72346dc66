#!/usr/bin/python3
"""The reference side of tools/bench/queries: the same questions asked of the same GeoPackage
through SQLite + SpatiaLite (mod_spatialite), using the GeoPackage R*Tree for the prefilter.

    spatialite_queries.py near STORE POINTS.csv RADIUS_M
    spatialite_queries.py nearest STORE POINTS.csv K
    spatialite_queries.py overlaps STORE

near: R*Tree box (degrees from the radius, widened by 1/cos(lat)), then ST_Distance(..., 1)
on the ellipsoid. nearest: the K smallest ST_Distance among the sites in a box of 250 m,
grown fourfold until the K-th lies within the radius the box holds, so that the answer is exact
(SpatiaLite's KNN index does not read GeoPackage R*Trees; a fixed box of 20 km, as before, missed
sites where they are sparse and compared thousands where they are dense). overlaps: R*Tree self-join,
ST_Intersects, then ST_Area(ST_Intersection(...), 1) on the ellipsoid.
"""
import math
import sqlite3
import sys
import time


def connect(path):
    c = sqlite3.connect(path)
    c.enable_load_extension(True)
    c.load_extension("mod_spatialite")
    # SpatiaLite decides whether an SRID is geographic (for ellipsoidal measures) from its own
    # spatial_ref_sys table, which a GeoPackage lacks: a temporary one, not written to the file.
    c.execute("CREATE TEMP TABLE spatial_ref_sys (srid INTEGER PRIMARY KEY, auth_name TEXT, auth_srid INTEGER,"
              " ref_sys_name TEXT, proj4text TEXT, srtext TEXT)")
    c.execute("INSERT INTO temp.spatial_ref_sys VALUES (4326, 'epsg', 4326, 'WGS 84',"
              " '+proj=longlat +datum=WGS84 +no_defs', 'GEOGCS[\"WGS 84\"]')")
    return c


def points(path):
    with open(path) as f:
        next(f)
        return [tuple(map(float, line.split(","))) for line in f if line.strip()]


NEAR = """
SELECT s.fid, ST_Distance(GeomFromGPB(s.geom), MakePoint(?1, ?2, 4326), 1) AS d
FROM sites s
WHERE s.fid IN (SELECT id FROM rtree_sites_geom WHERE minx <= ?3 AND maxx >= ?4 AND miny <= ?5 AND maxy >= ?6)
  AND d <= ?7
ORDER BY d, s.fid
"""

NEAREST = NEAR.replace("AND d <= ?7", "").rstrip() + " LIMIT ?7"

OVERLAPS = """
SELECT a.fid, b.fid, ST_Area(ST_Intersection(ga, gb), 1) AS overlap
FROM (SELECT s.fid AS fid, GeomFromGPB(s.geom) AS ga, r.minx, r.maxx, r.miny, r.maxy
      FROM sites s JOIN rtree_sites_geom r ON r.id = s.fid
      WHERE r.maxx > r.minx + 1e-6) a
JOIN rtree_sites_geom rb ON rb.minx <= a.maxx AND rb.maxx >= a.minx AND rb.miny <= a.maxy AND rb.maxy >= a.miny
     AND rb.id > a.fid
JOIN (SELECT fid, GeomFromGPB(geom) AS gb FROM sites) b ON b.fid = rb.id
WHERE GeometryType(gb) = 'POLYGON' AND GeometryType(ga) = 'POLYGON' AND ST_Intersects(ga, gb)
  AND ST_Area(ST_Intersection(ga, gb), 1) > 1
"""


def box(lon, lat, metres):
    dlat = metres / 6_335_439.0 * 180 / math.pi
    dlon = dlat / max(1e-9, math.cos(math.radians(min(89.9, abs(lat) + dlat))))
    return (lon + dlon, lon - dlon, lat + dlat, lat - dlat)


def main(argv):
    mode, store = argv[1], argv[2]
    c = connect(store)
    if mode in ("near", "nearest"):
        qs = points(argv[3])
        figure = float(argv[4])
        results = 0
        start = time.perf_counter()
        for lon, lat in qs:
            if mode == "near":
                rows = c.execute(NEAR, (lon, lat, *box(lon, lat, figure), figure)).fetchall()
            else:
                radius = 250.0
                while True:
                    rows = c.execute(NEAREST, (lon, lat, *box(lon, lat, radius), int(figure))).fetchall()
                    if (len(rows) == int(figure) and rows[-1][1] <= radius) or radius > 2.1e7:
                        break
                    radius *= 4
            results += len(rows)
        t = time.perf_counter() - start
        print(f"{mode} queries={len(qs)} results={results} seconds={t:.3f} queries_per_second={int(len(qs) / t)}")
    elif mode == "overlaps":
        start = time.perf_counter()
        pairs = len(c.execute(OVERLAPS).fetchall())
        t = time.perf_counter() - start
        print(f"overlaps pairs={pairs} seconds={t:.3f}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
