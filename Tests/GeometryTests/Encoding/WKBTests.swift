import Testing
@testable import Geometry

/// The reason and offset of a WKB failure, or nil when the bytes were read.
private func wkbFailure(_ bytes: [UInt8]) -> (offset: Int, reason: String)? {
    do {
        _ = try Geometry(wkb: bytes)
        return nil
    } catch let GeometryError.invalidWKB(offset, reason) {
        return (offset, reason)
    } catch {
        return (-1, "unexpected error \(error)")
    }
}

@Suite struct WKBRoundTripTests {
    @Test(arguments: [WKBByteOrder.littleEndian, .bigEndian])
    func randomGeometriesRoundTripExactly(order: WKBByteOrder) throws {
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        for g in RandomGeometry.samples(count: 2100, seed: 0xB0B, options: options) {
            let bytes = g.wkb(byteOrder: order)
            #expect(bytes.count == g.wkbByteCount)
            #expect(bytes.first == order.marker)
            let back = try Geometry(wkb: bytes)
            #expect(back == g)
            // Bit-for-bit: -0.0 and the sign of every coordinate survive.
            #expect(back.wkb(byteOrder: order) == bytes)
        }
    }

    @Test func appendWKBKeepsWhatWasThere() throws {
        let g = Geometry.point(try Point(x: 51.389, y: 35.689))
        var out: [UInt8] = [0x47, 0x50]
        g.appendWKB(to: &out)
        #expect(out.prefix(2) == [0x47, 0x50])
        #expect(try Geometry(wkb: out.dropFirst(2)) == g)
    }
}

@Suite struct WKBHandBuiltTests {
    @Test func bigEndianEWKBPointWithSRIDAndZ() throws {
        var w = WKBBytes()
        w.header(bigEndian: true, type: 0xA000_0001, srid: 4326)
        w.doubles([51.389, 35.689, 1043.5], bigEndian: true)
        // The first bytes are the specification's: XDR marker, then 0xA0000001.
        #expect(Array(w.bytes.prefix(5)) == [0x00, 0xA0, 0x00, 0x00, 0x01])
        let decoded = try Geometry.decodeWKB(w.bytes)
        #expect(decoded.geometry == .point(try Point(x: 51.389, y: 35.689)))
        #expect(decoded.hadZ && !decoded.hadM)
        #expect(decoded.srid == 4326)
        #expect(decoded.byteCount == 1 + 4 + 4 + 24)
    }

    @Test func littleEndianEWKBPolygonWithSRIDZAndM() throws {
        var w = WKBBytes()
        w.header(bigEndian: false, type: 0xE000_0003, srid: 32639)
        w.uint32(1, bigEndian: false)
        w.uint32(4, bigEndian: false)
        w.doubles([0, 0, 5, 1, 10, 0, 5, 2, 10, 10, 5, 3, 0, 0, 5, 1], bigEndian: false)
        let decoded = try Geometry.decodeWKB(w.bytes)
        #expect(decoded.hadZ && decoded.hadM && decoded.srid == 32639)
        let expected = try Polygon(rings: [[.init(x: 0, y: 0), .init(x: 10, y: 0), .init(x: 10, y: 10), .init(x: 0, y: 0)]])
        #expect(decoded.geometry == .polygon(expected))
    }

    @Test(arguments: [(UInt32(1002), true, false), (2002, false, true), (3002, true, true), (2, false, false)])
    func isoDimensionCodes(code: UInt32, z: Bool, m: Bool) throws {
        let dims = 2 + (z ? 1 : 0) + (m ? 1 : 0)
        var w = WKBBytes()
        w.header(bigEndian: false, type: code)
        w.uint32(2, bigEndian: false)
        for p in [[1.5, -2.25], [3.0, 4e-7]] {
            w.doubles(p + Array(repeating: 99, count: dims - 2), bigEndian: false)
        }
        let decoded = try Geometry.decodeWKB(w.bytes)
        #expect(decoded.geometry == .lineString(try LineString([.init(x: 1.5, y: -2.25), .init(x: 3, y: 4e-7)])))
        #expect(decoded.hadZ == z && decoded.hadM == m && decoded.srid == nil)
    }

    @Test func mixedByteOrdersInsideOneMultiPoint() throws {
        var w = WKBBytes()
        w.header(bigEndian: true, type: 4)
        w.uint32(3, bigEndian: true)
        w.header(bigEndian: false, type: 1)
        w.doubles([1, 2], bigEndian: false)
        w.header(bigEndian: true, type: 1001)
        w.doubles([3, 4, 5], bigEndian: true)
        w.header(bigEndian: false, type: 0x8000_0001)
        w.doubles([6, 7, 8], bigEndian: false)
        let decoded = try Geometry.decodeWKB(w.bytes)
        #expect(decoded.geometry == .multiPoint(try MultiPoint(positions: [.init(x: 1, y: 2), .init(x: 3, y: 4), .init(x: 6, y: 7)])))
        #expect(decoded.hadZ && !decoded.hadM)
    }

    @Test func emptyPointIsATypedError() {
        var w = WKBBytes()
        w.header(bigEndian: false, type: 1)
        w.doubles([.nan, .nan], bigEndian: false)
        let failure = wkbFailure(w.bytes)
        #expect(failure?.offset == 5)
        #expect(failure?.reason.contains("empty point") == true)

        var m = WKBBytes()
        m.header(bigEndian: false, type: 4)
        m.uint32(1, bigEndian: false)
        m.bytes += w.bytes
        #expect(wkbFailure(m.bytes)?.reason.contains("empty point") == true)
    }

    @Test func hostileCountsFailBeforeAllocating() {
        for type: UInt32 in [2, 3, 4, 5, 6, 7] {
            var w = WKBBytes()
            w.header(bigEndian: false, type: type)
            w.uint32(.max, bigEndian: false)
            let failure = wkbFailure(w.bytes)
            #expect(failure?.offset == 5, "type \(type)")
            #expect(failure?.reason.contains("4294967295") == true, "type \(type): \(String(describing: failure))")
        }
    }

    @Test func malformedInputNamesTheProblem() {
        var line = WKBBytes()
        line.header(bigEndian: false, type: 2)
        line.uint32(1, bigEndian: false)
        line.doubles([1, 2], bigEndian: false)
        #expect(wkbFailure(line.bytes)?.reason.contains("1 position") == true)

        var ring = WKBBytes()
        ring.header(bigEndian: false, type: 3)
        ring.uint32(1, bigEndian: false)
        ring.uint32(4, bigEndian: false)
        ring.doubles([0, 0, 1, 0, 1, 1, 0, 1], bigEndian: false)
        #expect(wkbFailure(ring.bytes)?.reason.contains("not closed") == true)

        var curve = WKBBytes()
        curve.header(bigEndian: false, type: 8)
        #expect(wkbFailure(curve.bytes)?.reason.contains("unsupported geometry type 8") == true)

        #expect(wkbFailure([])?.offset == 0)
        #expect(wkbFailure([2, 1, 0, 0, 0])?.reason.contains("byte-order marker") == true)

        let point = Geometry.point(try! Point(x: 1, y: 2)).wkb()
        #expect(wkbFailure(Array(point.dropLast()))?.offset == 5)
        #expect(wkbFailure(point + [0])?.reason.contains("1 bytes follow") == true)
        #expect(wkbFailure(Array(point.prefix(3)))?.offset == 1)

        var infinite = WKBBytes()
        infinite.header(bigEndian: false, type: 1)
        infinite.doubles([.infinity, 0], bigEndian: false)
        #expect(wkbFailure(infinite.bytes)?.reason.contains("not a finite number") == true)

        var inMulti = WKBBytes()
        inMulti.header(bigEndian: false, type: 6)
        inMulti.uint32(1, bigEndian: false)
        inMulti.header(bigEndian: false, type: 2)
        inMulti.uint32(0, bigEndian: false)
        #expect(wkbFailure(inMulti.bytes)?.reason.contains("expected geometry type 3") == true)
    }

    @Test func nestingIsCapped() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var w = WKBBytes()
            for _ in 0..<depth {
                w.header(bigEndian: false, type: 7)
                w.uint32(1, bigEndian: false)
            }
            w.header(bigEndian: false, type: 7)
            w.uint32(0, bigEndian: false)
            return w.bytes
        }
        #expect(throws: Never.self) { try Geometry(wkb: nested(WKBReader.maximumDepth)) }
        #expect(wkbFailure(nested(WKBReader.maximumDepth + 1))?.reason.contains("nested") == true)
        #expect(wkbFailure(nested(100_000)) != nil)
    }
}

@Suite struct WKBOracleTests {
    static let samples = [
        "POINT (51.389 35.689)",
        "POINT Z (1 2 3)",
        "POINT M (1 2 3)",
        "POINT ZM (1 2 3 4)",
        "LINESTRING (0 0, 1.5 2.25, -3 1e-7)",
        "LINESTRING Z (0 0 1, 1 1 2)",
        "LINESTRING EMPTY",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 1 2, 2 2, 1 1))",
        "POLYGON ZM ((0 0 1 2, 10 0 1 2, 10 10 1 2, 0 0 1 2))",
        "POLYGON EMPTY",
        "MULTIPOINT ((1 2), (3 4))",
        "MULTIPOINT Z ((1 2 3), (3 4 5))",
        "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3, 4 5))",
        "MULTILINESTRING M ((0 0 7, 1 1 8))",
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.1 5.05, 5.9 5.05, 5.9 5.8, 5.1 5.05)))",
        "MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)))",
        "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0))))",
        "GEOMETRYCOLLECTION Z (POINT Z (1 2 3), LINESTRING Z (0 0 0, 1 1 1))",
        "GEOMETRYCOLLECTION EMPTY",
        "MULTIPOLYGON EMPTY",
    ]

    /// OGR writes each sample as ISO and as extended (0x80000000 Z flag) WKB, both byte orders; we read every
    /// form back to the geometry OGR itself gives when flattened to 2D, whose bytes we reproduce.
    @Test func weReadWhatOGRWrites() throws {
        var requests: [String] = []
        for wkt in Self.samples {
            requests.append("flat\t\(wkt)")
            requests.append("wkb\tiso ndr \(wkt)")
            requests.append("wkb\tiso xdr \(wkt)")
            requests.append("wkb\togc ndr \(wkt)")
            requests.append("wkb\togc xdr \(wkt)")
        }
        let answers = try OGROracle.run(requests)
        for (k, wkt) in Self.samples.enumerated() {
            let flatHex = answers[5 * k]
            let flat = try #require([UInt8](hex: flatHex), "\(wkt): \(flatHex)")
            let expected = try Geometry(wkb: flat)
            #expect(expected.wkb() == flat, "\(wkt)")
            let upper = wkt.uppercased()
            let hasZ = upper.contains(" Z ") || upper.contains(" ZM ")
            let hasM = upper.contains(" M ") || upper.contains(" ZM ")
            for variant in 1...4 {
                let answer = answers[5 * k + variant]
                let bytes = try #require([UInt8](hex: answer), "\(wkt): \(answer)")
                let decoded = try Geometry.decodeWKB(bytes)
                #expect(decoded.geometry == expected, "\(wkt) variant \(variant)")
                #expect(decoded.byteCount == bytes.count)
                #expect(decoded.hadZ == hasZ, "\(wkt) variant \(variant)")
                #expect(decoded.hadM == hasM, "\(wkt) variant \(variant)")
            }
        }
    }

    /// OGR reads the WKB we write and writes back the very same bytes.
    @Test func ogrReadsWhatWeWrite() throws {
        let samples = RandomGeometry.samples(count: 350, seed: 7)
        let ours = samples.map { $0.wkb() }
        let answers = try OGROracle.run(ours.map { "rewkb\t\($0.hex)" })
        for (bytes, answer) in zip(ours, answers) {
            #expect(answer == bytes.hex)
        }
        let bigEndian = samples.prefix(50).map { $0.wkb(byteOrder: .bigEndian) }
        let answersXDR = try OGROracle.run(bigEndian.map { "rewkb\t\($0.hex)" })
        for (g, answer) in zip(samples, answersXDR) {
            #expect(answer == g.wkb().hex)
        }
    }
}

@Suite struct WKBSummaryTests {
    @Test func summaryAgreesWithTheDecodedGeometry() throws {
        for (k, g) in RandomGeometry.samples(count: 1400, seed: 0x5A).enumerated() {
            let bytes = g.wkb(byteOrder: k % 2 == 0 ? .littleEndian : .bigEndian)
            let summary = try bytes.withUnsafeBytes { buffer in try Geometry.summarizeWKB(buffer) }
            #expect(summary.type.baseType == g.wkbTypeCode)
            #expect(summary.envelope == g.boundingBox)
            #expect(summary.isEmpty == (g.boundingBox == nil))
            #expect(summary.byteCount == bytes.count)
        }
    }

    @Test func typeAndSRIDOfExtendedWKB() throws {
        var w = WKBBytes()
        w.header(bigEndian: true, type: 0xE000_0004, srid: 4326)
        w.uint32(2, bigEndian: true)
        w.header(bigEndian: false, type: 3001)
        w.doubles([5, -1, 9, 9], bigEndian: false)
        w.header(bigEndian: true, type: 0xC000_0001)
        w.doubles([-3, 4, 9, 9], bigEndian: true)
        let summary = try w.bytes.withUnsafeBytes { try Geometry.summarizeWKB($0) }
        #expect(summary.type.baseType == 4 && summary.type.hasZ && summary.type.hasM && summary.type.hasSRID)
        #expect(summary.srid == 4326)
        #expect(summary.envelope == BoundingBox(minX: -3, minY: -1, maxX: 5, maxY: 4))
        let type = try w.bytes.withUnsafeBytes { try Geometry.wkbType(of: $0) }
        #expect(type == summary.type)
    }
}
