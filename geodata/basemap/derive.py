"""Derives natural-earth-110m.geojson from the joined Natural Earth countries (see PROVENANCE.md).

Reads the GeoJSON that ogr2ogr wrote from the join, snaps every geometry to a 0.0001 degree grid
with GEOS's precision reducer (shapely.set_precision keeps polygons valid: slivers that collapse on
the grid are dropped, not left as invalid rings), orients rings as RFC 7946 asks (exterior
counter-clockwise), and writes one compact FeatureCollection, one feature a line, sorted by adm0_a3.

usage: python3 derive.py JOINED.geojson OUT.geojson
"""
import json
import sys

import shapely
from shapely.geometry import mapping, shape

GRID = 0.0001


def rounded(value):
    """A coordinate on the grid, printed with at most four decimals."""
    number = round(value, 4)
    return int(number) if number == int(number) else number


def coordinates(node):
    if isinstance(node, (list, tuple)) and node and isinstance(node[0], (int, float)):
        return [rounded(v) for v in node]
    return [coordinates(child) for child in node]


def main(source, target):
    with open(source, encoding="utf-8") as handle:
        joined = json.load(handle)
    lines = []
    for feature in sorted(joined["features"], key=lambda f: f["properties"]["adm0_a3"]):
        geometry = shapely.set_precision(shape(feature["geometry"]), GRID)
        geometry = shapely.orient_polygons(geometry, exterior_cw=False)
        if geometry.is_empty or not geometry.is_valid:
            raise SystemExit(f"{feature['properties']['adm0_a3']}: not a valid polygon on the grid")
        shaped = mapping(geometry)
        properties = {k: v for k, v in feature["properties"].items() if v is not None}
        lines.append(json.dumps({
            "type": "Feature",
            "properties": properties,
            "geometry": {"type": shaped["type"], "coordinates": coordinates(shaped["coordinates"])},
        }, ensure_ascii=False, separators=(",", ":")))
    with open(target, "w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[\n')
        handle.write(",\n".join(lines))
        handle.write("\n]}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
