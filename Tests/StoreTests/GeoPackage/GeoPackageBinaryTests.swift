import Foundation
import GRDB
import Geometry
import TestSupport
import Testing
@testable import Store

@Suite struct GeoPackageBinaryTests {
    @Test func roundTripsWithAnEnvelope() throws {
        let square = Geometry.polygon(try Polygon(rings: [[
            Position(x: 1, y: 2), Position(x: 3, y: 2), Position(x: 3, y: 5), Position(x: 1, y: 2),
        ]]))
        let blob = GeoPackageBinary.encode(square)
        #expect(Array(blob.prefix(4)) == [0x47, 0x50, 0, 0b0000_0011])
        let header = try blob.withUnsafeBytes { try GeoPackageHeader(blob: $0) }
        #expect(header.srsID == 4326 && header.wkbOffset == 40 && !header.isEmpty)
        #expect(header.envelope == BoundingBox(minX: 1, minY: 2, maxX: 3, maxY: 5))
        #expect(try GeoPackageBinary.decode(blob) == square)
        let empty = GeoPackageBinary.encode(.polygon(.empty))
        #expect(empty[3] == 0b0001_0001)
        #expect(try empty.withUnsafeBytes { try GeoPackageHeader(blob: $0) }.isEmpty)
    }

    /// Points are written as GDAL writes them: little-endian header, no envelope, 2D WKB
    /// point (29 bytes); the header reader takes their box from the WKB in either byte order,
    /// and a point of NaNs (WKB's empty point) is empty.
    @Test func pointsHaveNoEnvelope() throws {
        for (x, y) in [(51.389, 35.689), (-180.0, -90.0), (179.999999, 89.5)] {
            let point = Geometry.point(try Point(x: x, y: y))
            let blob = GeoPackageBinary.encode(point)
            #expect(blob.count == 29)
            #expect(Array(blob.prefix(8)) == [0x47, 0x50, 0, 0b0000_0001, 0xE6, 0x10, 0, 0])
            let header = try blob.withUnsafeBytes { try GeoPackageHeader(blob: $0) }
            #expect(header.wkbOffset == 8 && !header.isEmpty)
            #expect(header.envelope == BoundingBox(minX: x, minY: y, maxX: x, maxY: y))
            #expect(try GeoPackageBinary.decode(blob) == point)
            let big = Array(blob.prefix(8)) + point.wkb(byteOrder: .bigEndian)
            #expect(try big.withUnsafeBytes { try GeoPackageHeader(blob: $0) }.envelope == header.envelope)
        }
        var nan: [UInt8] = [0x47, 0x50, 0, 0b0000_0001, 0xE6, 0x10, 0, 0, 1, 1, 0, 0, 0]
        for _ in 0..<2 { withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { nan += $0 } }
        let header = try nan.withUnsafeBytes { try GeoPackageHeader(blob: $0) }
        #expect(header.isEmpty && header.envelope == nil)
    }

    /// The batch path encodes points on the stack: byte for byte what `encode` gives, for any
    /// coordinates and srs id; other geometries go through `encode` itself.
    @Test func stackEncodingEqualsEncode() throws {
        var rng = SplitMix64(seed: 77)
        var points = [(0.0, -0.0), (-180, -90), (180, 90), (1e-300, -1e-300)]
        for _ in 0..<200 { points.append((Double.random(in: -180...180, using: &rng), Double.random(in: -90...90, using: &rng))) }
        for (x, y) in points {
            let point = Geometry.point(try Point(x: x, y: y))
            for srs: Int32 in [4326, 3857, -1, 0x0102_0304] {
                #expect(GeoPackageBinary.withEncoding(point, srsID: srs) { Array($0) } == GeoPackageBinary.encode(point, srsID: srs))
            }
        }
        let square = Geometry.polygon(Polygon(exterior: try LinearRing([
            Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0)])))
        #expect(GeoPackageBinary.withEncoding(square) { Array($0) } == GeoPackageBinary.encode(square))
    }

    /// GDAL writes points without an envelope (and other tools may write big-endian headers):
    /// the index functions read the WKB instead, and queries find such rows.
    @Test func blobsWithoutAnEnvelopeAreIndexedAndFound() throws {
        let point = Geometry.point(try Point(x: 51.5, y: 35.6))
        var blob: [UInt8] = [0x47, 0x50, 0, 0x00, 0x00, 0x00, 0x10, 0xE6]   // big-endian header, no envelope
        blob += point.wkb(byteOrder: .bigEndian)
        let header = try blob.withUnsafeBytes { try GeoPackageHeader(blob: $0) }
        #expect(header.srsID == 4326 && header.envelope == BoundingBox(minX: 51.5, minY: 35.6, maxX: 51.5, maxY: 35.6))

        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("gdal-style.gpkg"))
        try store.pool.write { db in
            // No uuid given, as QGIS adds a feature: the column's default makes a random UUID.
            try db.execute(sql: """
                INSERT INTO sites (geom, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, 'written elsewhere', 'mass_grave', 'reported', 'unknown', 'exact', 'public')
                """, arguments: [Data(blob)])
        }
        let found = try store.near(Position(x: 51.5, y: 35.6001), radius: 50)
        #expect(found.map(\.site.name) == ["written elsewhere"])
        let id = try #require(found.first?.site.id.uuidString)
        #expect(id.count == 36 && Array(id)[14] == "4" && "89AB".contains(Array(id)[19]))
        #expect(try store.search("elsewhere").count == 1)
        // A blob that is not GeoPackageBinary cannot enter the index: the trigger's function fails.
        #expect {
            try store.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity)
                    VALUES (X'00010203', 'x', 'bad', 'mass_grave', 'reported', 'unknown', 'exact', 'public')
                    """)
            }
        } throws: { error in (error as? DatabaseError)?.message?.contains("no GP magic") == true }
        try store.close()
    }
}
