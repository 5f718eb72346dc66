import Foundation
import Geometry
import Store
import TestSupport

/// Where the cemeteries of the clustered data set lie and how many sites each holds, drawn
/// from a seed alone, so that `generate N STORE clustered` and `points-clustered Q SEED N`
/// agree on the layout without reading the store.
///
/// ```swift
/// let layout = ClusteredLayout(sites: 100_000)
/// layout.cemeteries.count          // 200: one per 500 sites
/// layout.cemeteries.map(\.sites)   // 75,000 in all: 120 to ~5,000 each, median ~210
/// ```
/// - Three quarters of the sites lie in cemeteries, one per 500 sites (200 at 100k, 2,000 at
///   1M: the same cemeteries, only more of them, so a query's answer does not grow with N).
/// - Cemetery sizes are heavy-tailed: Pareto weights with α = 1.5, capped at 40 times the
///   smallest, share out the cemetery sites (so the biggest tenth hold about 40% of them).
/// - A cemetery is a disc of 50 m² per site (radius 40–300 m), and cemeteries group around
///   towns, eight per town, within 20 km of the town's centre.
/// - The other quarter is sparse: spread evenly over Iran's extent, between the cemeteries.
struct ClusteredLayout {
    struct Cemetery {
        var lon: Double
        var lat: Double
        var radiusM: Double
        /// Sites in the cemetery: its outline, its trenches and its graves.
        var sites: Int
    }

    static let extent = (lon: 44.0...63.0, lat: 25.0...40.0)
    static let sitesPerCemetery = 500
    static let cemeteriesPerTown = 8

    let total: Int
    let sparse: Int
    let cemeteries: [Cemetery]

    init(sites n: Int, seed: UInt64 = 1) {
        var rng = SplitMix64(seed: seed)
        total = max(0, n)
        sparse = total / 4
        let inCemeteries = total - sparse
        let count = inCemeteries == 0 ? 0 : max(1, Int((Double(total) / Double(Self.sitesPerCemetery)).rounded()))
        let towns = (0..<max(1, count / Self.cemeteriesPerTown)).map { _ in
            (lon: Double.random(in: 44.5...62.5, using: &rng), lat: Double.random(in: 25.5...39.5, using: &rng))
        }
        let weights = (0..<count).map { _ in min(40, pow(1 - Double.random(in: 0..<1, using: &rng), -1 / 1.5)) }
        let sum = weights.reduce(0, +)
        var sizes = weights.map { Int(Double(inCemeteries) * $0 / sum) }
        for i in 0..<(inCemeteries - sizes.reduce(0, +)) { sizes[i % count] += 1 }
        cemeteries = sizes.enumerated().map { i, size in
            let town = towns[i % towns.count]
            let (lon, lat) = Self.offset(town.lon, town.lat, within: 20_000, using: &rng)
            return Cemetery(lon: lon, lat: lat, radiusM: min(300, max(40, (Double(size) * 50 / .pi).squareRoot())), sites: size)
        }
    }

    /// A position drawn evenly from the disc of `radius` metres around (lon, lat), on a local
    /// flat approximation (good to a fraction of a percent at these distances).
    static func offset(_ lon: Double, _ lat: Double, within radius: Double,
                       using rng: inout SplitMix64) -> (lon: Double, lat: Double) {
        let r = radius * Double.random(in: 0...1, using: &rng).squareRoot()
        let bearing = Double.random(in: 0..<(2 * .pi), using: &rng)
        return moved(lon, lat, east: r * sin(bearing), north: r * cos(bearing))
    }

    /// (lon, lat) moved by metres east and north on a local flat approximation.
    static func moved(_ lon: Double, _ lat: Double, east: Double, north: Double) -> (lon: Double, lat: Double) {
        (lon + east / (111_320 * cos(lat * .pi / 180)), lat + north / 110_950)
    }
}

/// The clustered data set: cemeteries of graves, trenches and an outline, and sparse sites
/// between them (see `ClusteredLayout` for where and how many).
///
/// ```swift
/// let sites = clusteredSites(100_000, seed: 1)   // the same 100,000 sites on every run
/// ```
/// - Each cemetery: one outline (a 32-sided polygon of its radius, type cemetery), one trench
///   per 20 sites (a rectangle 2–6 m by 10–60 m at any bearing, wholly inside the outline,
///   type mass_grave), and graves (points spread evenly over the disc, type individual_grave).
/// - Sparse sites: nine in ten points, one in ten a square of 20–200 m side, evenly over the
///   extent (type suspected_site).
/// - Sites come cemetery by cemetery, then the sparse ones, as imports would bring them.
/// - Ids too are drawn from the seed.
func clusteredSites(_ n: Int, seed: UInt64) -> [Site] {
    let layout = ClusteredLayout(sites: n, seed: seed)
    var rng = SplitMix64(seed: seed &+ 0x5EED)
    var sites: [Site] = []
    sites.reserveCapacity(layout.total)
    func add(_ geometry: Geometry, _ type: SiteType, _ name: String) {
        let id = withUnsafeBytes(of: (rng.next(), rng.next())) { raw -> UUID in
            var b = Array(raw)
            b[6] = (b[6] & 0x0F) | 0x40   // version 4
            b[8] = (b[8] & 0x3F) | 0x80   // variant 10
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
        sites.append(Site(id: id, geometry: geometry, name: name, type: type, status: .reported,
                          sensitivity: .public, dataset: "bench-clustered", sourceKey: String(sites.count)))
    }
    for (c, cemetery) in layout.cemeteries.enumerated() {
        let outline = (0...32).map { i -> Position in
            let angle = Double(i % 32) / 32 * 2 * .pi
            let p = ClusteredLayout.moved(cemetery.lon, cemetery.lat, east: cemetery.radiusM * cos(angle),
                                          north: cemetery.radiusM * sin(angle))
            return Position(x: p.lon, y: p.lat)
        }
        add(polygon(outline), .cemetery, "cemetery \(c)")
        let trenches = cemetery.sites / 20
        for t in 0..<trenches {
            // The centre 30 m inside the outline at least, so the whole trench (≤ 30.3 m from
            // its centre) is inside.
            let centre = ClusteredLayout.offset(cemetery.lon, cemetery.lat, within: max(0, cemetery.radiusM - 31), using: &rng)
            let halfWidth = Double.random(in: 1...3, using: &rng), halfLength = Double.random(in: 5...30, using: &rng)
            let bearing = Double.random(in: 0..<Double.pi, using: &rng)
            let (ux, uy, vx, vy) = (sin(bearing), cos(bearing), cos(bearing), -sin(bearing))
            let corners = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { s, w -> Position in
                let p = ClusteredLayout.moved(centre.lon, centre.lat, east: s * halfLength * ux + w * halfWidth * vx,
                                              north: s * halfLength * uy + w * halfWidth * vy)
                return Position(x: p.lon, y: p.lat)
            }
            add(polygon(corners), .massGrave, "cemetery \(c) trench \(t)")
        }
        for g in 0..<max(0, cemetery.sites - 1 - trenches) {
            let p = ClusteredLayout.offset(cemetery.lon, cemetery.lat, within: cemetery.radiusM, using: &rng)
            add(.point((try? Point(x: p.lon, y: p.lat)) ?? Point.origin), .individualGrave, "cemetery \(c) grave \(g)")
        }
    }
    for s in 0..<layout.sparse {
        let lon = Double.random(in: ClusteredLayout.extent.lon, using: &rng)
        let lat = Double.random(in: ClusteredLayout.extent.lat, using: &rng)
        if s % 10 == 9 {
            let half = Double.random(in: 10...100, using: &rng)
            let corners = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1), (-1, -1)].map { e, n -> Position in
                let p = ClusteredLayout.moved(lon, lat, east: e * half, north: n * half)
                return Position(x: p.lon, y: p.lat)
            }
            add(polygon(corners), .suspectedSite, "sparse \(s)")
        } else {
            add(.point((try? Point(x: lon, y: lat)) ?? Point.origin), .suspectedSite, "sparse \(s)")
        }
    }
    return sites
}

/// Witness points for the clustered data set, as investigators would ask: four in five
/// within 1 km of a cemetery's centre (the cemetery drawn evenly, whatever its size), the
/// rest anywhere over the extent.
///
/// ```swift
/// let points = clusteredWitnessPoints(1_000, seed: 7, sites: 100_000)
/// ```
func clusteredWitnessPoints(_ q: Int, seed: UInt64, sites n: Int) -> [Position] {
    let cemeteries = ClusteredLayout(sites: n).cemeteries
    var rng = SplitMix64(seed: seed)
    return (0..<q).map { i in
        if i % 5 != 4, let c = cemeteries.randomElement(using: &rng) {
            let p = ClusteredLayout.offset(c.lon, c.lat, within: 1_000, using: &rng)
            return Position(x: p.lon, y: p.lat)
        }
        return Position(x: Double.random(in: ClusteredLayout.extent.lon, using: &rng),
                        y: Double.random(in: ClusteredLayout.extent.lat, using: &rng))
    }
}

/// A polygon from a closed ring built above (four or more finite positions, first = last).
private func polygon(_ ring: [Position]) -> Geometry {
    .polygon(Polygon(exterior: (try? LinearRing(ring)) ?? LinearRing.unitSquare))
}

extension ClusteredLayout {
    /// One line on the layout: cemeteries, their sizes and radii, and the sparse sites.
    var summary: String {
        let sizes = cemeteries.map(\.sites).sorted(), radii = cemeteries.map(\.radiusM).sorted()
        guard let smallest = sizes.first, let largest = sizes.last else { return "clustered sites=\(total) cemeteries=0 sparse=\(sparse)" }
        let tenth = sizes.suffix(max(1, sizes.count / 10)).reduce(0, +)
        return "clustered sites=\(total) cemeteries=\(cemeteries.count) towns=\(max(1, cemeteries.count / Self.cemeteriesPerTown))"
            + " cemetery_sites=\(total - sparse) per_cemetery_min=\(smallest) median=\(sizes[sizes.count / 2]) max=\(largest)"
            + " largest_tenth_share=\(String(format: "%.2f", Double(tenth) / Double(max(1, total - sparse))))"
            + " radius_m_min=\(Int(radii[0])) median=\(Int(radii[radii.count / 2])) max=\(Int(radii[radii.count - 1]))"
            + " trenches=\(cemeteries.reduce(0) { $0 + $1.sites / 20 }) sparse=\(sparse)"
    }
}
