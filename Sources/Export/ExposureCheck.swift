import Foundation
import Geometry
import Store

/// Finds the generalised sites of an output that lie within `radius` metres of a site the same
/// output shows exactly: generalising them protects nothing, as the exact site gives their place.
///
/// ```swift
/// var check = ExposureCheck()                       // 50 m
/// try store.forEachPublishedSite(view: view) { check.note(SiteRow($0, view: view)); … }
/// for e in check.exposures() { … }                  // every one, nearest first within each site
/// ```
/// Positions are the centres of the sites' bounding boxes (a point is itself); distances are
/// geodesic on WGS84. Every site the audience sees counts, whatever the filter: an exact site
/// filtered out of this file is still published in others. Withheld sites are not in the
/// output at all, so they are not reported. The result is for the person running the export,
/// never for the files: it names the protected sites.
/// - Complexity: O(n) memory (32 bytes a site shown exactly or generalised); the search looks
///   at the sites in the neighbouring buckets of about 110 m only.
public struct ExposureCheck: Sendable {
    /// A generalised site and the exactly shown site near it.
    public struct Exposure: Hashable, Sendable {
        public var protectedID: UUID
        public var sensitivity: Sensitivity
        public var exactID: UUID
        public var distanceM: Double
    }

    public let radius: Double
    /// Bucket edge in degrees: 0.001° of latitude is about 111 m, more than the radius.
    private let bucket = 0.001
    private var exact: [Bucket: [(position: Position, id: UUID)]] = [:]
    private var generalised: [(position: Position, id: UUID, sensitivity: Sensitivity)] = []

    private struct Bucket: Hashable, Sendable {
        var column: Int64
        var row: Int64
    }

    public init(radius: Double = 50) {
        self.radius = radius
    }

    /// Takes note of one row, as the output's audience treats it.
    public mutating func note(_ row: SiteRow) {
        guard let p = row.site.geometry.boundingBox?.center, p.isFinite else { return }
        switch row.treatment {
        case .withheld: return
        case .generalised: generalised.append((p, row.site.id, row.site.sensitivity))
        case .exact:
            guard let b = bucketOf(p) else { return }
            exact[b, default: []].append((p, row.site.id))
        }
    }

    /// Every generalised site within `radius` of an exactly shown one, one entry per pair,
    /// ordered by protected site id, then distance.
    public func exposures() -> [Exposure] {
        var out: [Exposure] = []
        let geodesic = Geodesic.wgs84
        for g in generalised {
            guard let b = bucketOf(g.position) else { continue }
            // Longitude buckets to look at either side: more towards the poles.
            let metresPerBucket = 111_320 * bucket * max(0.01, cos(g.position.y * .pi / 180))
            let span = Int64(min(1000, (radius / metresPerBucket).rounded(.up)))
            for row in (b.row - 1)...(b.row + 1) {
                for column in (b.column - span)...(b.column + span) {
                    for e in exact[Bucket(column: column, row: row)] ?? [] where e.id != g.id {
                        let d = geodesic.distance(g.position, e.position)
                        if d <= radius { out.append(Exposure(protectedID: g.id, sensitivity: g.sensitivity, exactID: e.id, distanceM: d)) }
                    }
                }
            }
        }
        return out.sorted { ($0.protectedID.text, $0.distanceM, $0.exactID.text) < ($1.protectedID.text, $1.distanceM, $1.exactID.text) }
    }

    private func bucketOf(_ p: Position) -> Bucket? {
        let i = (p.x / bucket).rounded(.down), j = (p.y / bucket).rounded(.down)
        guard i.isFinite, j.isFinite, abs(i) < 1e12, abs(j) < 1e12 else { return nil }
        return Bucket(column: Int64(i), row: Int64(j))
    }
}
