import Foundation
import Testing
@testable import Geometry

/// The path and reason of a GeoJSON failure, or nil when the text was read.
private func geoJSONFailure(_ text: String) -> (path: String, reason: String)? {
    do {
        _ = try Geometry(geoJSON: text)
        return nil
    } catch let GeometryError.invalidGeoJSON(path, reason) {
        return (path, reason)
    } catch {
        return ("?", "unexpected error \(error)")
    }
}

private func pos(_ x: Double, _ y: Double) -> Position { Position(x: x, y: y) }

@Suite struct GeoJSONRoundTripTests {
    @Test func randomGeometriesRoundTripExactly() throws {
        var options = RandomGeometryOptions.lonLat
        options.extremeValues = true
        for g in RandomGeometry.samples(count: 2100, seed: 0x6E0, options: options) {
            let text = g.geoJSON()
            let back = try Geometry(geoJSON: text)
            #expect(back == g, "\(text)")
            #expect(back.wkb() == g.wkb(), "sign of zero lost: \(text)")
            #expect(try Geometry(geoJSON: g.geoJSONValue()) == g)
            #expect(g.geoJSONValue().encoded() == text)
        }
    }

    @Test func precisionRoundsEveryCoordinate() throws {
        for decimals in [0, 3, 6, 9] {
            for g in RandomGeometry.samples(count: 140, seed: UInt64(decimals)) {
                let text = g.geoJSON(precision: decimals)
                let back = try Geometry(geoJSON: text)
                let tolerance = 0.5 * pow(10, -Double(decimals)) * (1 + 1e-9)
                for (a, b) in zip(g.positions, back.positions) {
                    #expect(abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance, "\(a) \(b) at \(decimals)")
                }
                #expect(g.positions.count == back.positions.count)
                // No number in the text carries more decimals than asked for.
                let fractions = text.split(whereSeparator: { !"0123456789.-e".contains($0) })
                    .compactMap { $0.split(separator: ".").dropFirst().first }
                #expect(fractions.allSatisfy { $0.count <= decimals }, "\(text)")
                #expect(g.geoJSONValue(precision: decimals).encoded() == text)
            }
        }
    }

    @Test func writesRFC7946Objects() throws {
        #expect(Geometry.point(try Point(x: 51.389, y: 35.689)).geoJSON() == #"{"type":"Point","coordinates":[51.389,35.689]}"#)
        #expect(Geometry.point(try Point(x: 51.38912345, y: -0.0000004)).geoJSON(precision: 6)
            == #"{"type":"Point","coordinates":[51.389123,-0]}"#)
        let ring = try LinearRing([pos(0, 0), pos(1, 0), pos(1, 1), pos(0, 0)])
        #expect(Geometry.multiPolygon(MultiPolygon([Polygon(exterior: ring), .empty])).geoJSON()
            == #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}"#)
        #expect(Geometry.geometryCollection(GeometryCollection([.lineString(try LineString([]))])).geoJSON()
            == #"{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[]}]}"#)
    }
}

@Suite struct GeoJSONReadingTests {
    @Test func dropsAltitudeAndIgnoresOtherMembers() throws {
        let g = try Geometry(geoJSON: #"{"bbox": [0, 0, 1, 1], "coordinates": [[1, 2, 300], [3, 4, 5, 6]], "type": "LineString", "x": {}}"#)
        #expect(g == .lineString(try LineString([pos(1, 2), pos(3, 4)])))
    }

    @Test(arguments: [
        (#"[1, 2]"#, "", "expected a geometry object, found array"),
        (#"{"coordinates": [1, 2]}"#, "type", "missing member \"type\""),
        (#"{"type": 1, "coordinates": [1, 2]}"#, "type", "\"type\" must be a string"),
        (#"{"type": "Circle", "coordinates": [1, 2]}"#, "type", "unknown geometry type \"Circle\""),
        (#"{"type": "Feature", "geometry": null}"#, "type", "found a Feature"),
        (#"{"type": "Point"}"#, "coordinates", "missing member \"coordinates\""),
        (#"{"type": "Point", "coordinates": null}"#, "coordinates", "found null"),
        (#"{"type": "Point", "coordinates": []}"#, "coordinates", "empty point"),
        (#"{"type": "Point", "coordinates": [1]}"#, "coordinates", "at least 2 numbers, found 1"),
        (#"{"type": "Point", "coordinates": [1, "2"]}"#, "coordinates", "must hold numbers"),
        (#"{"type": "LineString", "coordinates": [[0, 0], [1, 1], [2]]}"#, "coordinates[2]", "at least 2 numbers"),
        (#"{"type": "LineString", "coordinates": [[0, 0]]}"#, "coordinates", "1 position"),
        (#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}"#, "coordinates[0]", "not closed"),
        (#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}"#, "coordinates[0]", "3 positions"),
        (#"{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0, 0], [1, 0], [1, 1], true]]]}"#,
         "coordinates[1][1][3]", "found boolean"),
        (#"{"type": "MultiPoint", "coordinates": [[1, 2], []]}"#, "coordinates[1]", "empty point"),
        (#"{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]}, {"type": "LineString", "coordinates": [[0, 0], [1, {}]]}]}"#,
         "geometries[1].coordinates[1]", "must hold numbers"),
        (#"{"type": "GeometryCollection"}"#, "geometries", "missing member"),
        (#"{"type": "GeometryCollection", "geometries": [{"type": "GeometryCollection", "geometries": [3]}]}"#,
         "geometries[0].geometries[0]", "expected a geometry object, found number"),
    ])
    func errorsSayWhereAndWhy(text: String, path: String, reason: String) {
        let failure = geoJSONFailure(text)
        #expect(failure?.path == path, "\(text): \(String(describing: failure))")
        #expect(failure?.reason.contains(reason) == true, "\(text): \(String(describing: failure))")
    }

    @Test func syntaxErrorsAreJSONErrors() {
        #expect(throws: GeometryError.invalidJSON(offset: 9, reason: "expected a value but found '}'")) {
            try Geometry(geoJSON: #"{"type": }"#)
        }
    }

    @Test func nestingIsCapped() throws {
        func nested(_ depth: Int) -> JSONValue {
            var v: JSONValue = ["type": "GeometryCollection", "geometries": []]
            for _ in 0..<depth { v = ["type": "GeometryCollection", "geometries": [v]] }
            return v
        }
        #expect(throws: Never.self) { try Geometry(geoJSON: nested(GeoJSONReader.maximumDepth)) }
        #expect(throws: GeometryError.self) { try Geometry(geoJSON: nested(GeoJSONReader.maximumDepth + 1)) }
    }
}

@Suite struct GeoJSONOrientationTests {
    @Test func exteriorsCounterClockwiseHolesClockwise() throws {
        var options = RandomGeometryOptions.lonLat
        options.maxHoles = 3
        for g in RandomGeometry.samples(count: 700, seed: 3, options: options) {
            let oriented = g.orientedForGeoJSON()
            var polygons: [Polygon] = []
            func collect(_ g: Geometry) {
                switch g {
                case let .polygon(p): polygons.append(p)
                case let .multiPolygon(m): polygons += m.polygons
                case let .geometryCollection(c): c.geometries.forEach(collect)
                default: break
                }
            }
            collect(oriented)
            for p in polygons {
                #expect(p.exterior?.isCounterClockwise ?? true)
                #expect(p.holes.allSatisfy { !$0.isCounterClockwise })
            }
            #expect(oriented.orientedForGeoJSON() == oriented)
            #expect(Set(oriented.positions) == Set(g.positions))
            #expect(oriented.boundingBox == g.boundingBox)
        }
    }
}

@Suite struct GeoJSONOracleTests {
    /// OGR reads the GeoJSON we write to the geometry we wrote (compared through OGR's WKB).
    @Test func ogrReadsWhatWeWrite() throws {
        var options = RandomGeometryOptions.lonLat
        options.allowEmpty = false
        options.extremeValues = true
        let samples = RandomGeometry.samples(count: 350, seed: 1988, options: options)
        let answers = try OGROracle.run(samples.map { "geojson\t\($0.geoJSON())" })
        for (g, answer) in zip(samples, answers) {
            let bytes = try #require([UInt8](hex: answer), "\(g.geoJSON()): \(answer)")
            #expect(try Geometry(wkb: bytes) == g, "\(g.geoJSON())")
        }
    }
}
