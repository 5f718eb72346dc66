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
/// - Complexity: 40 bytes a site shown exactly, in flat arrays (a dictionary of arrays per
///   bucket took 88 MB at a million sites, 3 times the sites' own bytes), and nothing at all
///   for a view that generalises no sensitivity, where no site can be exposed. The search
///   sorts the exact sites by bucket once, and looks at those in the buckets of about 110 m
///   around each generalised site.
public struct ExposureCheck: Sendable {
    /// A generalised site and the exactly shown site near it.
    public struct Exposure: Hashable, Sendable {
        public var protectedID: UUID
        public var sensitivity: Sensitivity
        public var exactID: UUID
        public var distanceM: Double
    }

    public let radius: Double
    /// Whether the view generalises any site: when not, nothing is noted.
    public let generalises: Bool
    /// Bucket edge in degrees: 0.001° of latitude is about 111 m, more than the radius.
    private static let bucket = 0.001
    /// Each exactly shown site: its bucket and position; its id at the same index in `exactIDs`.
    private var exact: [(bucket: UInt64, position: Position)] = []
    private var exactIDs: [UUID] = []
    private var generalised: [(position: Position, id: UUID, sensitivity: Sensitivity)] = []

    /// `generalises`: whether the output's view generalises some sensitivity
    /// (`!view.sensitivities(.generalised).isEmpty`); false notes nothing and finds nothing.
    public init(radius: Double = 50, generalises: Bool = true) {
        self.radius = radius
        self.generalises = generalises
    }

    /// Takes note of one row, as the output's audience treats it.
    public mutating func note(_ row: SiteRow) {
        guard generalises, let p = row.site.geometry.boundingBox?.center, p.isFinite else { return }
        switch row.treatment {
        case .withheld: return
        case .generalised: generalised.append((p, row.site.id, row.site.sensitivity))
        case .exact:
            guard let b = Self.bucketOf(p) else { return }
            exact.append((Self.packed(b), p))
            exactIDs.append(row.site.id)
        }
    }

    /// Every generalised site within `radius` of an exactly shown one, one entry per pair,
    /// ordered by protected site id, then distance.
    public func exposures() -> [Exposure] {
        guard !generalised.isEmpty, !exact.isEmpty else { return [] }
        // Positions in `exact` sorted by bucket: one binary search finds a bucket's sites.
        let order = exact.indices.sorted { exact[$0].bucket < exact[$1].bucket }
        func sites(in bucket: UInt64) -> ArraySlice<Int> {
            var low = 0, high = order.count
            while low < high {
                let mid = (low + high) / 2
                if exact[order[mid]].bucket < bucket { low = mid + 1 } else { high = mid }
            }
            var end = low
            while end < order.count, exact[order[end]].bucket == bucket { end += 1 }
            return order[low..<end]
        }
        var out: [Exposure] = []
        let geodesic = Geodesic.wgs84
        for g in generalised {
            guard let b = Self.bucketOf(g.position) else { continue }
            // Longitude buckets to look at either side: more towards the poles.
            let metresPerBucket = 111_320 * Self.bucket * max(0.01, cos(g.position.y * .pi / 180))
            let span = Int64(min(1000, (radius / metresPerBucket).rounded(.up)))
            for row in (b.row - 1)...(b.row + 1) {
                for column in (b.column - span)...(b.column + span) {
                    for i in sites(in: Self.packed(Bucket(column: column, row: row))) where exactIDs[i] != g.id {
                        let d = geodesic.distance(g.position, exact[i].position)
                        if d <= radius { out.append(Exposure(protectedID: g.id, sensitivity: g.sensitivity, exactID: exactIDs[i], distanceM: d)) }
                    }
                }
            }
        }
        return out.sorted { ($0.protectedID.text, $0.distanceM, $0.exactID.text) < ($1.protectedID.text, $1.distanceM, $1.exactID.text) }
    }

    private struct Bucket: Hashable, Sendable {
        var column: Int64
        var row: Int64
    }

    /// A bucket as one number (columns and rows stay within ±2^31: positions are degrees).
    private static func packed(_ b: Bucket) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: b.row)) << 32 | UInt64(UInt32(truncatingIfNeeded: b.column))
    }

    private static func bucketOf(_ p: Position) -> Bucket? {
        let i = (p.x / bucket).rounded(.down), j = (p.y / bucket).rounded(.down)
        guard i.isFinite, j.isFinite, abs(i) < 1e9, abs(j) < 1e9 else { return nil }   // packed in 32 bits each
        return Bucket(column: Int64(i), row: Int64(j))
    }
}
