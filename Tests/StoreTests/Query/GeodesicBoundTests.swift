import TestSupport
import Foundation
import Geometry
import Testing
@testable import Store

/// The lower bound that orders the best-first walk, checked as a property against exact
/// geodesic distances (Karney, through PROJ), and the R*Tree node reader against SQLite's own
/// view of the index.
@Suite struct GeodesicBoundTests {
    /// A box anywhere, often at the poles or against the antimeridian, of any size.
    static func randomBox(_ rng: inout SplitMix64) -> BoundingBox {
        let size = [1e-6, 0.003, 0.1, 2, 20, 120][Int.random(in: 0..<6, using: &rng)]
        let w = Double.random(in: 0...size, using: &rng), h = Double.random(in: 0...size, using: &rng)
        let x: Double
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: x = 180 - w - Double.random(in: 0...0.01, using: &rng)
        case 1: x = -180 + Double.random(in: 0...0.01, using: &rng)
        default: x = Double.random(in: -180...(180 - w), using: &rng)
        }
        let tall = min(h, 180)
        let y: Double
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: y = 90 - tall
        case 1: y = -90
        default: y = Double.random(in: -90...(90 - tall), using: &rng)
        }
        return BoundingBox(minX: x, minY: y, maxX: min(180, x + w), maxY: min(90, y + tall))
    }

    static func randomPoint(_ rng: inout SplitMix64, near box: BoundingBox) -> Position {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: 70...90, using: &rng) * (Bool.random(using: &rng) ? 1 : -1))
        case 1: return Position(x: (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 179...180, using: &rng), y: Double.random(in: -89...89, using: &rng))
        case 2:
            let c = box.center
            return Position(x: max(-180, min(180, c.x + Double.random(in: -1...1, using: &rng) * (box.width + 0.01))),
                            y: max(-90, min(90, c.y + Double.random(in: -1...1, using: &rng) * (box.height + 0.01))))
        default: return Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -90...90, using: &rng))
        }
    }

    /// Exact distances to points sampled over the box (edges densely, interior on a grid):
    /// the bound is never above any of them, and close to their minimum (within 1.1 %: a(1 − e²) against the
    /// largest radius of curvature, plus the sampling step).
    @Test func boundNeverExceedsTheGeodesicDistanceToAnyPointOfTheBox() {
        var rng = SplitMix64(seed: 2024)
        var checked = 0
        for _ in 0..<3_000 {
            let box = Self.randomBox(&rng)
            let p = Self.randomPoint(&rng, near: box)
            let bound = GeodesicBound(p).metres(to: box)
            var nearest = Double.infinity
            let n = 24
            for i in 0...n {
                for j in 0...n where i == 0 || i == n || j == 0 || j == n || (i % 4 == 0 && j % 4 == 0) {
                    let q = Position(x: box.minX + box.width * Double(i) / Double(n), y: min(90, box.minY + box.height * Double(j) / Double(n)))
                    let d = Geodesic.wgs84.distance(p, q)
                    #expect(bound <= d, "bound \(bound) > \(d) from \(p) to \(q) in \(box)")
                    nearest = min(nearest, d)
                }
            }
            // Tight for boxes much smaller than their distance (the sampling step bounds the error).
            let step = Geodesic.wgs84.distance(Position(x: box.minX, y: box.minY), Position(x: box.maxX, y: box.maxY)) / Double(n)
            if nearest > 1_000, step < nearest * 0.001 {
                #expect(bound >= nearest * 0.989 - 2 * step, "bound \(bound) far below \(nearest) from \(p) to \(box)")
                checked += 1
            }
            if box.contains(p) { #expect(bound == 0) }
        }
        #expect(checked > 300, "too few tight cases: the tightness check proved little")
    }

    /// The shortcut that spares the R*Tree search the bound's trigonometry: whenever it says a
    /// box surely lies within a limit, a position of the box does (by the exact geodesic) and
    /// the bound of the box, widened or not, is within the limit too, so the
    /// search keeps the same candidates; and it says so for most boxes well inside the limit.
    @Test func surelyReachingBoxesLieWithinTheLimit() {
        var rng = SplitMix64(seed: 612)
        var sure = 0, wellInside = 0, sureWellInside = 0
        for round in 0..<6_000 {
            let limit = [1.0, 50, 1_000, 20_000, 400_000][round % 5]
            let p = Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -89.9...89.9, using: &rng)
                             * (round % 7 == 0 ? 1 : 0.5))
            // A box somewhere up to twice the limit away in each direction, of up to a limit's size.
            let degrees = limit / 111_000
            let x = p.x + Double.random(in: -2...2, using: &rng) * degrees / max(0.05, cos(p.y * .pi / 180))
            let y = max(-90, min(90, p.y + Double.random(in: -2...2, using: &rng) * degrees))
            let w = Double.random(in: 0...degrees, using: &rng) * (round % 3 == 0 ? 0 : 1)
            let h = Double.random(in: 0...degrees, using: &rng) * (round % 3 == 0 ? 0 : 1)
            guard x >= -180, x + w <= 180 else { continue }
            let box = BoundingBox(minX: x, minY: y, maxX: x + w, maxY: min(90, y + h))
            // The box's position nearest the point in longitude and latitude apart (no wrapping).
            let corner = Position(x: max(box.minX, min(box.maxX, p.x)), y: max(box.minY, min(box.maxY, p.y)))
            let exact = Geodesic.wgs84.distance(p, corner)
            let from = GeodesicBound(p)
            if exact < limit * 0.9 { wellInside += 1 }
            guard from.surelyReaches(box, within: limit) else { continue }
            sure += 1
            if exact < limit * 0.9 { sureWellInside += 1 }
            #expect(exact <= limit, "\(box) said within \(limit) m of \(p), but its nearest corner is \(exact) m away")
            #expect(from.metres(to: box, unlessBeyond: limit) <= limit)
            #expect(from.metres(to: GeodesicBound.widened(box, span: 180), unlessBeyond: limit) <= limit)
        }
        #expect(sure > 1_000)
        // Not a vacuous test: the shortcut takes most of the boxes well inside (the rest are
        // near the poles, where a degree of longitude is short and the path along a parallel long).
        #expect(Double(sureWellInside) > 0.5 * Double(wellInside), "\(sureWellInside) of \(wellInside)")
    }

    /// Polygons with edges of every width: the bound to their vertices' box, widened for the
    /// poleward bulge of their geodesic edges, never exceeds the exact distance to the polygon,
    /// even for points in the bulge, outside the box.
    /// `GeodesicReach`: every position within the distance, in every direction (the geodesic's
    /// own end points, through PROJ), lies within the reach in longitude (the short way round)
    /// and latitude, and within the planar reach, from the equator to beside the poles, at
    /// distances up to thousands of km; and no reach is given where the distance reaches over a pole.
    @Test func everyPositionWithinADistanceLiesWithinItsReach() {
        var rng = SplitMix64(seed: 2024)
        var checked = 0, refused = 0, planarChecked = 0
        for _ in 0..<3_000 {
            let from = Position(x: Double.random(in: -180...180, using: &rng),
                                y: [Double.random(in: -60...60, using: &rng), Double.random(in: -89.9...89.9, using: &rng)][Int.random(in: 0..<2, using: &rng)])
            let metres = [1.0, 500, 20_000, 400_000, 3_000_000][Int.random(in: 0..<5, using: &rng)] * Double.random(in: 0.1...1, using: &rng)
            guard let reach = GeodesicReach.degrees(around: from, within: metres) else {
                refused += 1
                // Refused only where a circle of that radius could come near a pole.
                #expect(90 - abs(from.y) < metres / 100_000 + 1, "no reach at \(from) within \(metres) m")
                continue
            }
            for _ in 0..<8 {
                let to = Geodesic.wgs84.direct(from: from, azimuth: Double.random(in: -180..<180, using: &rng),
                                               distance: metres * Double.random(in: 0...1, using: &rng).squareRoot())
                var dLon = abs(to.x - from.x).truncatingRemainder(dividingBy: 360)
                if dLon > 180 { dLon = 360 - dLon }
                #expect(dLon <= reach.longitude && abs(to.y - from.y) <= reach.latitude,
                        "\(to) lies \(metres) m or less from \(from), beyond the reach \(reach)")
                if let planar = GeodesicReach.planarDegrees(around: from, within: metres) {
                    let d = (dLon * dLon + (to.y - from.y) * (to.y - from.y)).squareRoot()
                    #expect(d <= planar, "\(to) lies \(metres) m or less from \(from), \(d)° in the plane, beyond \(planar)°")
                    // Not loose: up to 20 km, within a few percent of the box's longitude reach,
                    // which the position due east or west at the full distance nearly attains.
                    #expect(metres > 20_000 || abs(from.y) > 60 || planar <= reach.longitude * 1.05 + 1e-9,
                            "\(planar)° against \(reach.longitude)° within \(metres) m of \(from)")
                    planarChecked += 1
                }
                checked += 1
            }
        }
        #expect(checked > 15_000 && refused > 0 && planarChecked > 10_000,
                "\(checked) positions checked (\(planarChecked) in the plane), \(refused) reaches refused")
    }

    @Test func widenedBoxesHoldTheGeodesicEdges() throws {
        var rng = SplitMix64(seed: 7)
        var outsideBox = 0
        for _ in 0..<400 {
            let span = Double.random(in: 0.01...170, using: &rng)
            let west = Double.random(in: -180...(180 - span), using: &rng)
            let south = Double.random(in: -89...88, using: &rng)
            let north = min(89.9, south + Double.random(in: 0.001...1, using: &rng))
            let ring = [Position(x: west, y: south), Position(x: west + span, y: south), Position(x: west + span, y: north),
                        Position(x: west, y: north), Position(x: west, y: south)]
            let polygon = Geometry.polygon(try Polygon(rings: [ring]))
            let box = try #require(polygon.boundingBox)
            let grown = GeodesicBound.widened(box, span: span)
            for k in 0..<20 {
                // Points along both east-west edges, and just poleward of them.
                let a = ring[k % 2 == 0 ? 0 : 3], b = ring[k % 2 == 0 ? 1 : 2]
                let edge = Geodesic.wgs84.inverse(a, b)
                let onEdge = Geodesic.wgs84.direct(from: a, azimuth: edge.initialAzimuth, distance: edge.distance * (Double(k) + 0.5) / 20)
                #expect(grown.minY <= onEdge.y + 1e-9 && onEdge.y <= grown.maxY + 1e-9, "\(onEdge) outside \(grown)")
                let p = Position(x: onEdge.x, y: max(-90, min(90, onEdge.y + Double.random(in: -0.05...0.05, using: &rng))))
                if !box.contains(p) { outsideBox += 1 }
                let d = Geodesic.wgs84.distance(from: p, to: polygon)
                #expect(GeodesicBound(p).metres(to: grown) <= d, "\(p) to polygon \(ring)")
            }
        }
        #expect(outsideBox > 1_000)
    }

    /// Nodes as read from SQLite's node table hold every site's true box, and leaves list
    /// every site once, with the box the R*Tree table itself reports.
    @Test func nodesReadWithSQLAgreeWithTheIndex() throws {
        var rng = SplitMix64(seed: 3)
        var sites: [Site] = []
        for i in 0..<3_000 {
            let lon = Double.random(in: -180...180, using: &rng), lat = Double.random(in: -89...89, using: &rng)
            sites.append(i % 5 == 0 ? try SiteFixtures.square(max(-179.9, min(179.9, lon)), lat, half: 0.01)
                                    : try SiteFixtures.point(lon, lat))
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("nodes.gpkg"))
        defer { try? store.close() }
        try store.insertBatch(sites)
        try store.read { db in
            let nodes = RTreeNodes()
            let root = try nodes.node(1, db)
            #expect(root.depth >= 1, "3,000 sites need more than one node")
            var leaves: [Int64: BoundingBox] = [:]
            func walk(_ number: Int64, depth: Int, within: BoundingBox?) throws {
                let node = try nodes.node(number, db)
                for (id, box) in zip(node.ids, node.boxes) {
                    if let within { #expect(within.minX <= box.minX && box.maxX <= within.maxX && within.minY <= box.minY && box.maxY <= within.maxY) }
                    if depth == 0 { leaves[id] = box } else { try walk(id, depth: depth - 1, within: box) }
                }
            }
            try walk(1, depth: root.depth, within: nil)
            #expect(leaves.count == sites.count)
            let rows = try RawStatement(db, "SELECT id, minx, maxx, miny, maxy FROM rtree_sites_geom")
            while try rows.step() {
                let box = BoundingBox(minX: rows.double(1) ?? .nan, minY: rows.double(3) ?? .nan,
                                      maxX: rows.double(2) ?? .nan, maxY: rows.double(4) ?? .nan)
                #expect(leaves[rows.int64(0)] == box)
            }
            let fetch = try SiteFetch(db)
            for (fid, box) in leaves {
                let truth = try #require(try fetch.site(fid)?.geometry.boundingBox)
                #expect(box.minX <= truth.minX && truth.maxX <= box.maxX && box.minY <= truth.minY && truth.maxY <= box.maxY)
            }
        }
    }
}
