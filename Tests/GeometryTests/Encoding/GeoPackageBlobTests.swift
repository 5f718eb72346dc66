import TestSupport
import Testing
@testable import Geometry

/// A GeoPackageBinary header built field by field, in either byte order, for blobs no writer
/// of ours makes (every envelope kind, big-endian headers, odd flags).
private func header(little: Bool = true, flags extra: UInt8 = 0, kind: UInt8, srs: UInt32 = 4326,
                    doubles: [Double], version: UInt8 = 0) -> [UInt8] {
    var out: [UInt8] = [0x47, 0x50, version, (little ? 1 : 0) | kind << 1 | extra]
    var w = WKBBytes()
    w.uint32(srs, bigEndian: !little)
    w.doubles(doubles, bigEndian: !little)
    out += w.bytes
    return out
}

/// The message of a GeoPackageBinary reading failure, or nil when the blob was read.
private func failure(_ blob: [UInt8]) -> String? {
    do {
        _ = try GeoPackageBlob.decode(blob)
        return nil
    } catch {
        return error.description
    }
}

@Suite struct GeoPackageBlobTests {
    /// Every random geometry comes back from its blob, and the bytes are what the store has
    /// always written: little-endian header, version 0, no envelope for points and empties
    /// (empty flag), an xy envelope in the order minX, maxX, minY, maxY otherwise, then ISO WKB.
    @Test func randomGeometriesRoundTripAndKeepTheirBytes() throws {
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        for g in RandomGeometry.samples(count: 1500, seed: 0x6B1, options: options) {
            let blob = GeoPackageBlob.encode(g, srsID: 4326)
            var expected: [UInt8]
            if let box = g.boundingBox, g.wkbTypeCode != 1 {
                expected = header(kind: 1, doubles: [box.minX, box.maxX, box.minY, box.maxY])
            } else {
                expected = header(flags: g.boundingBox == nil ? 0b1_0000 : 0, kind: 0, doubles: [])
            }
            expected += g.wkb()
            #expect(blob == expected)
            #expect(GeoPackageBlob.withEncoding(g) { Array($0) } == blob)
            #expect(try GeoPackageBlob.decode(blob) == g)
            let decoded = try GeoPackageBlob.decodeWKB(blob)
            #expect(decoded?.geometry == (g.boundingBox == nil ? nil : g))
            let parsed = try blob.withUnsafeBytes { try GeoPackageBlobHeader(blob: $0) }
            #expect(parsed.isEmpty == (g.boundingBox == nil) && parsed.srsID == 4326 && parsed.version == 0)
            var written: [UInt8] = []
            parsed.append(to: &written)
            #expect(written == Array(blob.prefix(parsed.wkbOffset)))
            let extent = try blob.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: parsed) }
            #expect(extent == g.boundingBox)
        }
    }

    /// Envelope codes 0–4 in both header byte orders, with and without the empty flag: the
    /// envelope reads back as written and the WKB after it is found (also in big-endian WKB).
    @Test func everyEnvelopeKindAndByteOrderIsRead() throws {
        let square = Geometry.polygon(try Polygon(rings: [[
            Position(x: 1, y: 2), Position(x: 3, y: 2), Position(x: 3, y: 5), Position(x: 1, y: 2),
        ]]))
        let ranges: [Double] = [1, 3, 2, 5, -10, 10, 0, 7]
        for kind in GeoPackageEnvelope.Kind.allCases {
            for little in [true, false] {
                for wkbOrder in [WKBByteOrder.littleEndian, .bigEndian] {
                    let doubles = Array(ranges.prefix(kind.doubleCount))
                    let blob = header(little: little, kind: kind.rawValue, srs: 0x0102_0304, doubles: doubles)
                        + square.wkb(byteOrder: wkbOrder)
                    let parsed = try blob.withUnsafeBytes { try GeoPackageBlobHeader(blob: $0) }
                    #expect(parsed.envelopeKind == kind && parsed.isLittleEndian == little)
                    #expect(parsed.srsID == 0x0102_0304 && parsed.wkbOffset == 8 + 8 * kind.doubleCount)
                    #expect(parsed.envelope?.boundingBox == (kind == .none ? nil : BoundingBox(minX: 1, minY: 2, maxX: 3, maxY: 5)))
                    let third = GeoPackageEnvelope.Range(min: -10, max: 10)
                    switch kind {
                    case .xyz: #expect(parsed.envelope?.z == third && parsed.envelope?.m == nil)
                    case .xym: #expect(parsed.envelope?.m == third && parsed.envelope?.z == nil)
                    case .xyzm: #expect(parsed.envelope?.z == third && parsed.envelope?.m == .init(min: 0, max: 7))
                    default: #expect(parsed.envelope?.z == nil && parsed.envelope?.m == nil)
                    }
                    var written: [UInt8] = []
                    parsed.append(to: &written)
                    #expect(written == Array(blob.prefix(parsed.wkbOffset)))
                    #expect(try GeoPackageBlob.decode(blob) == square)
                    #expect(try GeoPackageBlob.decodeWKB(blob)?.geometry == square)
                    let extent = try blob.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: parsed) }
                    #expect(extent == BoundingBox(minX: 1, minY: 2, maxX: 3, maxY: 5))

                    // The empty flag: the importer takes no geometry, the extent is none.
                    var empty = blob
                    empty[3] |= 0b1_0000
                    #expect(try GeoPackageBlob.decodeWKB(empty) == nil)
                    let emptyHeader = try empty.withUnsafeBytes { try GeoPackageBlobHeader(blob: $0) }
                    #expect(emptyHeader.isEmpty)
                    #expect(try empty.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: emptyHeader) } == nil)
                }
            }
        }
    }

    /// Points without an envelope have their coordinates as extent, read in place in either
    /// byte order; WKB's empty point (NaNs) has none.
    @Test func pointExtentsComeFromTheWKB() throws {
        for (x, y) in [(51.389, 35.689), (-180.0, -90.0), (179.999999, 89.5)] {
            let point = Geometry.point(try Point(x: x, y: y))
            for order in [WKBByteOrder.littleEndian, .bigEndian] {
                let blob = header(kind: 0, doubles: []) + point.wkb(byteOrder: order)
                let parsed = try blob.withUnsafeBytes { try GeoPackageBlobHeader(blob: $0) }
                #expect(try blob.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: parsed) }
                    == BoundingBox(minX: x, minY: y, maxX: x, maxY: y))
                #expect(blob.withUnsafeBytes { GeoPackageBlob.geometryType(of: $0, wkbOffset: parsed.wkbOffset) } == 1)
            }
        }
        var nan = WKBBytes()
        nan.header(bigEndian: false, type: 1)
        nan.doubles([.nan, .nan], bigEndian: false)
        let blob = header(kind: 0, doubles: []) + nan.bytes
        let parsed = try blob.withUnsafeBytes { try GeoPackageBlobHeader(blob: $0) }
        #expect(try blob.withUnsafeBytes { try GeoPackageBlob.extent(of: $0, header: parsed) } == nil)
    }

    /// The `X` flag, envelope codes 5–7 and a missing magic are refused with words that say
    /// which; the reserved bits and any version byte are accepted.
    @Test func refusedFlagsSayWhy() throws {
        let wkb = Geometry.point(try Point(x: 1, y: 2)).wkb()
        #expect(failure(header(flags: 0b10_0000, kind: 0, doubles: []) + wkb)?.contains("extended GeoPackageBinary") == true)
        for code: UInt8 in 5...7 {
            #expect(failure(header(kind: code, doubles: Array(repeating: 0, count: 8)) + wkb)?.contains("envelope indicator \(code)") == true)
        }
        #expect(failure(Array("XP".utf8) + Array(repeating: 0, count: 6) + wkb)?.contains("no GP magic") == true)
        #expect(failure(header(flags: 0b1100_0000, kind: 0, doubles: [], version: 7) + wkb) == nil)
    }

    /// Every truncation of valid blobs (each envelope kind, each geometry kind) and bytes
    /// appended to them give an error, never a trap; the importer's reading, which leaves
    /// trailing bytes unread, still finds the geometry.
    @Test func truncatedBlobsFailCleanly() throws {
        var blobs: [[UInt8]] = RandomGeometry.samples(count: 60, seed: 0x7C, options: .lonLat)
            .filter { !$0.isEmpty }.map { GeoPackageBlob.encode($0) }
        let square = Geometry.polygon(try Polygon(rings: [[
            Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0),
        ]]))
        for kind: UInt8 in 0...4 {
            blobs.append(header(little: kind % 2 == 0, kind: kind, doubles: Array(repeating: 0.5, count: 8)
                .prefix(GeoPackageEnvelope.Kind(rawValue: kind)?.doubleCount ?? 0).map { $0 }) + square.wkb(byteOrder: .bigEndian))
        }
        for blob in blobs {
            let whole = try GeoPackageBlob.decode(blob)
            for cut in 0..<blob.count {
                let part = Array(blob.prefix(cut))
                #expect(failure(part) != nil, "a blob cut to \(cut) of \(blob.count) bytes was read")
                #expect(throws: GeometryError.self) { try GeoPackageBlob.decodeWKB(part) }
            }
            #expect(failure(blob + [0]) != nil)
            #expect(try GeoPackageBlob.decodeWKB(blob + [0, 0, 0])?.geometry == whole)
        }
    }

    /// Random bytes behind a valid header prefix and counts far larger than the bytes left
    /// are refused without trapping or allocating for the claimed count.
    @Test func hostileBytesNeverTrap() throws {
        var rng = SplitMix64(seed: 0x9E0)
        for _ in 0..<3000 {
            let kind = UInt8.random(in: 0...7, using: &rng)
            let flags = UInt8.random(in: 0...255, using: &rng) & ~0b1110 | kind << 1
            var blob: [UInt8] = [0x47, 0x50, 0, flags]
            for _ in 0..<Int.random(in: 0...120, using: &rng) { blob.append(UInt8.random(in: 0...255, using: &rng)) }
            _ = try? GeoPackageBlob.decode(blob)
            _ = try? GeoPackageBlob.decodeWKB(blob)
            blob.withUnsafeBytes { raw in
                if let parsed = try? GeoPackageBlobHeader(blob: raw) {
                    _ = try? GeoPackageBlob.extent(of: raw, header: parsed)
                    _ = GeoPackageBlob.geometryType(of: raw, wkbOffset: parsed.wkbOffset)
                }
            }
        }
        // A polygon claiming 2^32-1 rings in 13 bytes.
        var huge = WKBBytes()
        huge.header(bigEndian: false, type: 3)
        huge.uint32(.max, bigEndian: false)
        #expect(failure(header(kind: 0, doubles: []) + huge.bytes) != nil)
        let envelopeLess = header(kind: 0, doubles: []) + huge.bytes
        #expect(throws: GeometryError.self) {
            try envelopeLess.withUnsafeBytes { raw in
                try GeoPackageBlob.extent(of: raw, header: try GeoPackageBlobHeader(blob: raw))
            }
        }
    }
}
