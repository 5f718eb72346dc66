import Foundation
import TestSupport
import Testing
@testable import Geometry

/// GDAL as the oracle for reading GeoPackageBinary: `ogr2ogr` writes a GeoPackage from WKT
/// (points, lines, polygons, multi-geometries, collections, Z and M, empties), Python's
/// `sqlite3` hands over each raw blob, and `ogrinfo` prints each feature's geometry as WKT;
/// the codec must decode every blob to the geometry `ogrinfo` printed (Z and M dropped, as
/// the store keeps geometries).
@Suite struct GeoPackageBlobGDALTests {
    static let script = #"""
import sys, os, re, subprocess, sqlite3, tempfile
folder = tempfile.mkdtemp()
src = os.path.join(folder, "in.csv")
dst = os.path.join(folder, "out.gpkg")
with open(src, "w") as f:
    f.write("n,WKT\n")
    for i, line in enumerate(open(sys.argv[1])):
        f.write('%d,"%s"\n' % (i, line.rstrip("\n")))
subprocess.run(["ogr2ogr", "-f", "GPKG", dst, src, "-nln", "sites", "-oo", "KEEP_GEOM_COLUMNS=NO"], check=True)
db = sqlite3.connect(dst)
column = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name='sites'").fetchone()[0]
blobs = {n: (b.hex() if b is not None else "") for n, b in db.execute('SELECT CAST(n AS INTEGER), "%s" FROM sites' % column)}
printed = subprocess.run(["ogrinfo", "-q", "-al", "-geom=ISO_WKT", dst], check=True, capture_output=True, text=True).stdout
out = {}
n = None
for line in printed.splitlines():
    m = re.match(r"\s+n \(\w+\) = (\d+)$", line)
    if m:
        n = int(m.group(1))
    elif n is not None and re.match(r"\s+[A-Z]+( ZM| Z| M)? [(E]", line):
        out[n] = "%s\t%s" % (blobs[n], line.strip())
        n = None
sys.stdout.write("\n".join(out[i] for i in sorted(out)) + "\n")
"""#

    static let inputs = [
        "POINT (51.389 35.689)", "POINT (-180 -90)", "POINT Z (1 2 3)", "POINT M (1 2 4)", "POINT ZM (1 2 3 4)",
        "LINESTRING (0 0,1 1,2 0)", "LINESTRING Z (0 0 1,1 1 2)",
        "POLYGON ((0 0,10 0,10 10,0 10,0 0),(2 2,2 3,3 3,2 2))", "POLYGON Z ((0 0 1,1 0 1,1 1 1,0 0 1))",
        "MULTIPOINT ((1 2),(3 4))", "MULTILINESTRING ((0 0,1 1),(2 2,3 3))",
        "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))", "MULTIPOLYGON ZM (((0 0 1 2,1 0 1 2,1 1 1 2,0 0 1 2)))",
        "GEOMETRYCOLLECTION (POINT (1 2),LINESTRING (0 0,1 1))",
        "POINT EMPTY", "LINESTRING EMPTY", "POLYGON EMPTY", "MULTIPOLYGON EMPTY", "GEOMETRYCOLLECTION EMPTY",
    ]

    @Test func blobsWrittenByOGR2OGRDecodeToWhatOGRPrints() throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("gpkg-oracle-\(UUID().uuidString).txt")
        try Self.inputs.joined(separator: "\n").appending("\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let run = try ProgramRun.run("/usr/bin/python3", ["-c", Self.script, input.path])
        try #require(run.status == 0, "ogr2ogr or python3-gdal failed")
        let data = run.standardOutput
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == Self.inputs.count)
        var kinds: Set<GeoPackageEnvelope.Kind> = []
        for (source, line) in zip(Self.inputs, lines) {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let blob = try #require([UInt8](hex: parts[0]), "\(source): no blob")
            let printed = parts[1]
            let header = try blob.withUnsafeBytes { try GeoPackageBlobHeader(blob: $0) }
            kinds.insert(header.envelopeKind)
            #expect(header.srsID == 0 || header.srsID == -1 || header.srsID == 4326, "\(source)")
            let decoded = try GeoPackageBlob.decodeWKB(blob)
            if printed.hasSuffix("EMPTY") {
                #expect(header.isEmpty && decoded == nil, "\(source): GDAL printed \(printed)")
                #expect(try blob.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: header) } == nil)
            } else {
                let expected = try Geometry(wkt: printed)
                #expect(decoded?.geometry == expected, "\(source): GDAL printed \(printed)")
                #expect(decoded?.hadZ == source.contains(" Z"), "\(source)")
                let extent = try blob.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: header) }
                #expect(extent == expected.boundingBox, "\(source)")
                #expect(try GeoPackageBlob.decode(blob) == expected, "\(source)")
            }
        }
        // GDAL wrote more than one kind of header (none for points, an envelope for others).
        #expect(kinds.count > 1, "envelope kinds seen: \(kinds)")
    }
}
