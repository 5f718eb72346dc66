import Testing
@testable import Geometry

/// The offset and reason of a WKT failure, or nil when the text was read.
private func wktFailure(_ text: String) -> (offset: Int, reason: String)? {
    do {
        _ = try Geometry(wkt: text)
        return nil
    } catch let GeometryError.invalidWKT(offset, reason) {
        return (offset, reason)
    } catch {
        return (-1, "unexpected error \(error)")
    }
}

private func pos(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }

@Suite struct WKTWritingTests {
    @Test func randomGeometriesRoundTripExactly() throws {
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        for g in RandomGeometry.samples(count: 2100, seed: 0x5EED, options: options) {
            let text = g.wkt
            let back = try Geometry(wkt: text)
            #expect(back == g, "\(text)")
            // Bit-for-bit, including the sign of zero.
            #expect(back.wkb() == g.wkb(), "\(text)")
        }
    }

    @Test func writesOGCStyle() throws {
        let ring = try LinearRing([pos(0, 0), pos(1, 0), pos(1, 1), pos(0, 0)])
        let polygon = Polygon(exterior: ring)
        #expect(Geometry.polygon(polygon).wkt == "POLYGON ((0 0, 1 0, 1 1, 0 0))")
        #expect(Geometry.point(try Point(x: -0.0, y: 1e-5)).wkt == "POINT (-0 0.00001)")
        #expect(Geometry.point(try Point(x: -1.25e-6, y: 0.1 + 0.2)).wkt == "POINT (-1.25e-06 0.30000000000000004)")
        #expect(Geometry.multiPoint(try MultiPoint(positions: [pos(1, 2), pos(3.5, 4)])).wkt == "MULTIPOINT ((1 2), (3.5 4))")
        #expect(Geometry.lineString(try LineString([])).wkt == "LINESTRING EMPTY")
        #expect(Geometry.polygon(.empty).wkt == "POLYGON EMPTY")
        #expect(Geometry.multiLineString(MultiLineString([try LineString([]), try LineString([pos(0.1, 0.2), pos(1e300, 3)])])).wkt
            == "MULTILINESTRING (EMPTY, (0.1 0.2, 1e+300 3))")
        #expect(Geometry.multiPolygon(MultiPolygon([polygon, .empty])).wkt == "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)")
        #expect(Geometry.geometryCollection(GeometryCollection([])).wkt == "GEOMETRYCOLLECTION EMPTY")
        #expect(Geometry.geometryCollection(GeometryCollection([.point(try Point(x: 51.389, y: 35.689)), .multiPoint(MultiPoint([]))])).wkt
            == "GEOMETRYCOLLECTION (POINT (51.389 35.689), MULTIPOINT EMPTY)")
        #expect(Geometry.point(try Point(x: 1e15, y: 123456789012345680)).wkt == "POINT (1000000000000000 1.2345678901234568e+17)")
    }
}

@Suite struct WKTReadingTests {
    @Test(arguments: [
        ("point(1 2)", "POINT (1 2)"),
        ("  PoInT\t(\n1   2\r\n)  ", "POINT (1 2)"),
        ("POINT Z (1 2 3)", "POINT (1 2)"),
        ("POINTZ(1 2 3)", "POINT (1 2)"),
        ("POINT M (1 2 3)", "POINT (1 2)"),
        ("pointzm (1 2 3 4)", "POINT (1 2)"),
        ("POINT (1 2 3)", "POINT (1 2)"),
        ("POINT (+1.5e2 -.25E-1)", "POINT (150 -0.025)"),
        ("POINT (5. 1e+2)", "POINT (5 100)"),
        ("SRID=4326;POINT(51.389 35.689)", "POINT (51.389 35.689)"),
        ("MULTIPOINT (1 2, 3 4)", "MULTIPOINT ((1 2), (3 4))"),
        ("MULTIPOINT ((1 2),(3 4))", "MULTIPOINT ((1 2), (3 4))"),
        ("MULTIPOINT ((1 2), 3 4)", "MULTIPOINT ((1 2), (3 4))"),
        ("MULTIPOINT Z (1 2 3, 3 4 5)", "MULTIPOINT ((1 2), (3 4))"),
        ("multipoint empty", "MULTIPOINT EMPTY"),
        ("LINESTRING(0 0,1 1)", "LINESTRING (0 0, 1 1)"),
        ("LINESTRING ZM (0 0 1 2, 1 1 3 4)", "LINESTRING (0 0, 1 1)"),
        ("POLYGON((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1))", "POLYGON ((0 0, 1 0, 1 1, 0 0), (0.1 0.1, 0.2 0.1, 0.2 0.2, 0.1 0.1))"),
        ("MULTILINESTRING (EMPTY, (0 0, 1 1))", "MULTILINESTRING (EMPTY, (0 0, 1 1))"),
        ("MULTIPOLYGON (((0 0,1 0,1 1,0 0)),EMPTY)", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)"),
        ("GeometryCollection(Point(1 2),GEOMETRYCOLLECTION EMPTY, LineString Empty)", "GEOMETRYCOLLECTION (POINT (1 2), GEOMETRYCOLLECTION EMPTY, LINESTRING EMPTY)"),
        ("GEOMETRYCOLLECTION Z (POINT Z (1 2 3))", "GEOMETRYCOLLECTION (POINT (1 2))"),
    ])
    func readsVariants(input: String, expected: String) throws {
        #expect(try Geometry(wkt: input).wkt == expected)
    }

    @Test func readsNumbersExactly() throws {
        let g = try Geometry(wkt: "POINT (0.1 1.7976931348623157e308)")
        #expect(g == .point(try Point(x: 0.1, y: .greatestFiniteMagnitude)))
        let long = try Geometry(wkt: "POINT (51.38912345678901234567 -0.000000000000000000000000001)")
        #expect(g != long)
        #expect(long == .point(try Point(x: 51.38912345678901234567, y: -1e-27)))
    }

    @Test(arguments: [
        ("POINT (1 2", 10, "expected ')' but found end of input"),
        ("POINT (1 x)", 9, "expected a number but found 'x'"),
        ("POINT (1 2) x", 12, "unexpected 'x' after the geometry"),
        ("POINT EMPTY", 6, "empty point"),
        ("MULTIPOINT (EMPTY)", 12, "empty point"),
        ("LINESTRING (1 2)", 11, "1 position"),
        ("POLYGON ((0 0, 1 0, 1 1, 0 1))", 9, "not closed"),
        ("POLYGON ((0 0, 1 0, 0 0))", 9, "3 positions"),
        ("CIRCULARSTRING (0 0, 1 1, 2 0)", 0, "unknown geometry type 'CIRCULARSTRING'"),
        ("POINT (1e999 2)", 7, "number out of range"),
        ("POINT (1 2 3 4 5)", 7, "more than 4 coordinates"),
        ("POINT (1. 2e)", 12, "expected exponent digits"),
        ("POINT (nan 2)", 7, "expected a number but found 'n'"),
        ("LINESTRING FULL", 11, "expected '(' or EMPTY but found 'FULL'"),
        ("", 0, "expected a geometry type but found end of input"),
        ("(1 2)", 0, "expected a geometry type but found '('"),
        ("POINT (1 2,)", 10, "expected ')' but found ','"),
    ])
    func errorsSayWhatAndWhere(input: String, offset: Int, reason: String) {
        let failure = wktFailure(input)
        #expect(failure?.offset == offset, "\(input): \(String(describing: failure))")
        #expect(failure?.reason.contains(reason) == true, "\(input): \(String(describing: failure))")
    }

    @Test func nestingIsCapped() throws {
        func nested(_ depth: Int) -> String {
            String(repeating: "GEOMETRYCOLLECTION (", count: depth) + "POINT (1 2)" + String(repeating: ")", count: depth)
        }
        #expect(throws: Never.self) { try Geometry(wkt: nested(WKTReader.maximumDepth)) }
        #expect(wktFailure(nested(WKTReader.maximumDepth + 1))?.reason.contains("nested") == true)
        #expect(wktFailure(nested(50_000)) != nil)
    }
}

@Suite struct WKTOracleTests {
    /// OGR reads the WKT we write to the very geometry we wrote (compared through OGR's WKB).
    /// Empty members of multi-geometries are left out: OGR drops them when it reads WKT.
    @Test func ogrReadsWhatWeWrite() throws {
        var options = RandomGeometryOptions.lonLat
        options.allowEmpty = false
        options.extremeValues = true
        var samples = RandomGeometry.samples(count: 350, seed: 99, options: options)
        samples += [
            .lineString(try LineString([])), .polygon(.empty), .multiPoint(MultiPoint([])),
            .multiLineString(MultiLineString([])), .multiPolygon(MultiPolygon([])),
            .geometryCollection(GeometryCollection([])),
        ]
        let answers = try OGROracle.run(samples.map { "wkt\t\($0.wkt)" })
        for (g, answer) in zip(samples, answers) {
            let bytes = try #require([UInt8](hex: answer), "\(g.wkt): \(answer)")
            #expect(try Geometry(wkb: bytes) == g, "\(g.wkt)")
        }
    }

    /// What OGR reads from hand-written WKT in its many spellings, we read too.
    @Test func weReadWhatOGRReads() throws {
        let texts = [
            "POINT(1 2)", "point z (1 2 3)", "POINT M (1 2 3)", "POINT ZM (1 2 3 4)",
            "MULTIPOINT (1 2,3 4)", "MULTIPOINT ((1 2),(3 4))", "MULTIPOINT Z (1 2 3,3 4 5)",
            "LINESTRING (30 10, 10 30, 40 40)", "LINESTRING(1.5e2 -2.5E-3,3 .5,5. 1)",
            "POLYGON ((35 10, 45 45, 15 40, 10 20, 35 10), (20 30, 35 35, 30 20, 20 30))",
            "MULTILINESTRING ((10 10, 20 20, 10 40), (40 40, 30 30, 40 20, 30 10))",
            "MULTIPOLYGON (((40 40, 20 45, 45 30, 40 40)), ((20 35, 10 30, 10 10, 30 5, 45 20, 20 35), (30 20, 20 15, 20 25, 30 20)))",
            "GEOMETRYCOLLECTION (POINT (40 10), LINESTRING (10 10, 20 20, 10 40), POLYGON ((40 40, 20 45, 45 30, 40 40)))",
            "GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 2)),MULTIPOINT EMPTY)",
            "LINESTRING EMPTY", "GEOMETRYCOLLECTION EMPTY",
            "POINT (51.389123456789012345 35.68912345678901234567890)",
        ]
        let answers = try OGROracle.run(texts.map { "flat\t\($0)" })
        for (text, answer) in zip(texts, answers) {
            let bytes = try #require([UInt8](hex: answer), "\(text): \(answer)")
            #expect(try Geometry(wkt: text) == Geometry(wkb: bytes), "\(text)")
        }
    }
}
