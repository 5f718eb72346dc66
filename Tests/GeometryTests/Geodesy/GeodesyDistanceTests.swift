import TestSupport
import Foundation
import Testing
@testable import Geometry

/// Geodesic distances and the direct problem checked against PROJ's `geod` program.
@Suite struct GeodesyDistanceTests {
    /// Seeded pairs: anywhere on Earth, short ones, and near-antipodal ones.
    static func pairs() -> [(Position, Position)] {
        var random = SplitMix64(seed: 1988)
        func anywhere() -> Position {
            Position(x: Double.random(in: -180...180, using: &random),
                     y: Double.random(in: -89.9...89.9, using: &random))
        }
        var pairs: [(Position, Position)] = []
        for _ in 0..<150 { pairs.append((anywhere(), anywhere())) }
        for _ in 0..<100 {
            let a = anywhere()
            let b = Position(x: a.x + Double.random(in: -0.05...0.05, using: &random),
                             y: max(-90, min(90, a.y + Double.random(in: -0.05...0.05, using: &random))))
            pairs.append((a, b))
        }
        for _ in 0..<100 {
            let a = anywhere()
            let antipode = Position(x: a.x > 0 ? a.x - 180 : a.x + 180, y: -a.y)
            let b = Position(x: antipode.x + Double.random(in: -0.5...0.5, using: &random),
                             y: max(-90, min(90, antipode.y + Double.random(in: -0.5...0.5, using: &random))))
            pairs.append((a, b))
        }
        return pairs
    }

    /// `geod -I +ellps=WGS84 -f %.12f -F %.6f` reads `lat1 lon1 lat2 lon2` and prints
    /// `azimuth1 back-azimuth2 distance`.
    @Test func inverseAgreesWithGeod() throws {
        let pairs = Self.pairs()
        let input = pairs.map { a, b in
            "\(a.y.oracleText) \(a.x.oracleText) \(b.y.oracleText) \(b.x.oracleText)"
        }.joined(separator: "\n")
        let oracle = try Subprocess.numbers(["geod", "-I", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"],
                                            input: input)
        try #require(oracle.count == pairs.count)
        var worst = 0.0
        for ((a, b), row) in zip(pairs, oracle) {
            let ours = Geodesic.wgs84.inverse(a, b)
            worst = max(worst, abs(ours.distance - row[2]))
            // Lines under 20 km are measured from their chord (`shortLineDistance`).
            #expect(abs(Geodesic.wgs84.distance(a, b) - ours.distance) < 2e-8)
        }
        #expect(worst < 0.001, "largest difference \(worst) m")
    }

    /// Azimuths where they are well defined (pairs neither near-antipodal nor at a pole).
    @Test func azimuthsAgreeWithGeod() throws {
        let pairs = Array(Self.pairs().prefix(250))
        let input = pairs.map { a, b in
            "\(a.y.oracleText) \(a.x.oracleText) \(b.y.oracleText) \(b.x.oracleText)"
        }.joined(separator: "\n")
        let oracle = try Subprocess.numbers(["geod", "-I", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"],
                                            input: input)
        for ((a, b), row) in zip(pairs, oracle) {
            let ours = Geodesic.wgs84.inverse(a, b)
            #expect(angleDifference(ours.initialAzimuth, row[0]) < 1e-8)
            #expect(angleDifference(ours.finalAzimuth + 180, row[1]) < 1e-8)
        }
    }

    /// `geod +ellps=WGS84` (direct) reads `lat lon azimuth distance`, prints `lat2 lon2 back-azimuth`.
    @Test func directAgreesWithGeod() throws {
        var random = SplitMix64(seed: 67)
        let cases = (0..<200).map { _ in
            (Position(x: Double.random(in: -180...180, using: &random), y: Double.random(in: -85...85, using: &random)),
             Double.random(in: -180...180, using: &random), Double.random(in: 0...15_000_000, using: &random))
        }
        let input = cases.map { p, azimuth, distance in
            "\(p.y.oracleText) \(p.x.oracleText) \(azimuth.oracleText) \(distance.oracleText)"
        }.joined(separator: "\n")
        let oracle = try Subprocess.numbers(["geod", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"], input: input)
        try #require(oracle.count == cases.count)
        for ((p, azimuth, distance), row) in zip(cases, oracle) {
            let ours = Geodesic.wgs84.direct(from: p, azimuth: azimuth, distance: distance)
            #expect(abs(ours.y - row[0]) < 1e-9)
            #expect(angleDifference(ours.x, row[1]) < 1e-9)
        }
    }

    @Test func lengthSumsTheSegmentsOfLines() throws {
        let a = Position(x: 51.389, y: 35.689), b = Position(x: 48.669, y: 31.318), c = Position(x: 46.29, y: 38.08)
        let line = try LineString([a, b, c])
        let expected = Geodesic.wgs84.distance(a, b) + Geodesic.wgs84.distance(b, c)
        #expect(Geodesic.wgs84.length(of: .lineString(line)) == expected)
        let multi = Geometry.multiLineString(MultiLineString([line, line]))
        #expect(Geodesic.wgs84.length(of: multi) == 2 * expected)
        #expect(Geodesic.wgs84.length(of: .point(try Point(a))) == 0)
        let ring = try LinearRing([a, b, c, a])
        #expect(Geodesic.wgs84.length(of: .polygon(Polygon(exterior: ring))) == 0)
    }
}

/// The difference between two angles in degrees, modulo 360.
func angleDifference(_ a: Double, _ b: Double) -> Double {
    let d = (a - b).truncatingRemainder(dividingBy: 360)
    return min(abs(d), 360 - abs(d))
}
