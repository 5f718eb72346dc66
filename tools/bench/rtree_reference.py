#!/usr/bin/env python3
"""The Python reference of tools/bench/queries: what an analyst would write over the same
GeoPackage with sqlite3, its R*Tree, shapely and pyproj's geodesic (needs shapely >= 2).

    rtree_reference.py near STORE POINTS.csv RADIUS_M
    rtree_reference.py nearest STORE POINTS.csv K

Candidates: the sites whose R*Tree box meets the point's search box (a box that holds the
circle of the radius: degrees from the least radius of curvature, widened by 1/cos(lat)).
Distance: every candidate's vertices go through one vectorised Geod.inv from the point and are
placed by (azimuth, distance) on the point's azimuthal equidistant plane, where distances from
the point are exact; shapely then gives the distance from the origin to the geometry (0 inside
a polygon). Edges are straight on that plane where the geodesic bends by micrometres over the
tens of metres of these edges. near: the sites within the radius, nearest first. nearest: a
box of 250 m grown fourfold until K sites lie within the radius it holds; the K nearest.
"""
import math
import sqlite3
import sys
import time

import numpy as np
import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
ORIGIN = shapely.Point(0, 0)
BOX = ("SELECT s.fid, s.geom FROM rtree_sites_geom r JOIN sites s ON s.fid = r.id"
       " WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?")
ENVELOPE = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}  # GeoPackageBinary envelope bytes by flag


def box(lon, lat, metres):
    dlat = math.degrees(metres / 6_335_439.0)
    dlon = dlat / max(1e-9, math.cos(math.radians(min(89.9, abs(lat) + dlat))))
    return (lon + dlon, lon - dlon, lat + dlat, lat - dlat)


def candidates(db, lon, lat, metres):
    """fids and geodesic distances (m) of the sites whose index box meets the search box"""
    rows = db.execute(BOX, box(lon, lat, metres)).fetchall()
    fids = np.array([r[0] for r in rows], dtype=np.int64)
    # GeoPackageBinary: 'GP', version, flags, srs_id (8 bytes), envelope, then WKB
    geoms = shapely.from_wkb([g[8 + ENVELOPE[(g[3] >> 1) & 7]:] for _, g in rows])

    def plane(xy):  # azimuthal equidistant about (lon, lat), through the ellipsoid's geodesics
        az, _, d = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
        return np.column_stack((d * np.sin(np.radians(az)), d * np.cos(np.radians(az))))

    return fids, shapely.distance(shapely.transform(geoms, plane), ORIGIN) if rows else np.empty(0)


def ranked(fids, d, keep):  # nearest first, ties by fid
    order = np.lexsort((fids[keep], d[keep]))
    return fids[keep][order], d[keep][order]


def main(mode, store, path, figure):
    db = sqlite3.connect(store)
    qs = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    results, start, cpu = 0, time.perf_counter(), time.process_time()
    for lon, lat in qs:
        if mode == "near":
            fids, d = candidates(db, lon, lat, figure)
            results += len(ranked(fids, d, d <= figure)[0])
        else:
            radius = 250.0
            while True:
                fids, d = candidates(db, lon, lat, radius)
                if np.count_nonzero(d <= radius) >= figure or radius > 2.1e7:
                    results += len(ranked(fids, d, d <= radius)[0][:int(figure)])
                    break
                radius *= 4
    t, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{mode} queries={len(qs)} results={results} seconds={t:.3f} queries_per_second={int(len(qs) / t)}"
          f" cpu_seconds={cpu:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("near", "nearest"):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))
