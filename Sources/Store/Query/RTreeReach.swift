import Foundation
import GRDB
import Geometry

/// The sites whose R*Tree box lies within a radius of a point, by fid, without reading a
/// row: the candidates of a batch of `near` points, read afterwards all at once.
///
/// ```swift
/// let reach = try RTreeReach(db, memo: memo, audience: index)
/// var fids: [Int64] = []
/// let complete = try reach.collect(around: witness, within: 1_000, into: &fids, atMost: 50_000)
/// ```
/// The same candidates as the R*Tree part of `NearestWalk` within that radius: sites shown
/// exactly to the audience and not drawn across the antimeridian (those come from the walk),
/// whose box, grown for geodesic edges (`GeodesicBound.widened`), has a lower bound of its
/// distance within the radius. The nodes are the ones `SpatialMemo` keeps.
/// - Complexity: O(m) for the m R*Tree cells of the nodes in reach.
struct RTreeReach {
    private let db: Database
    private let nodes: RTreeNodes
    private let span: Double
    private let audience: AudienceIndex
    private let wrapped: Set<Int64>
    private let rootDepth: Int

    init(_ db: Database, memo: SpatialMemo, audience: AudienceIndex) throws {
        self.db = db
        nodes = memo.nodes
        span = memo.span
        self.audience = audience
        wrapped = Set(memo.wrapped)
        rootDepth = try memo.nodes.node(1, db).depth
    }

    /// Appends to `fids` the candidates around `position` within `radius` metres, in no
    /// particular order; false (with `fids` holding some of them) when there are more than
    /// `atMost`.
    func collect(around position: Position, within radius: Double, into fids: inout [Int64], atMost: Int) throws -> Bool {
        let from = GeodesicBound(position)
        // Boxes too far east or west are passed over before any trigonometry.
        let reach = from.longitudeReach(within: radius) ?? .infinity
        let start = fids.count
        var pending: [(node: Int64, depth: Int)] = [(1, rootDepth)]
        while let (number, depth) = pending.popLast() {
            let node = try nodes.node(number, db)
            let leaf = depth == 0
            for (id, box) in zip(node.ids, node.boxes) {
                if leaf, !audience.isExact(id) || (!wrapped.isEmpty && wrapped.contains(id)) { continue }
                guard from.longitudeGap(to: box) <= reach else { continue }
                // Boxes plainly within the radius (most of a cemetery's graves) need no bound.
                if !from.surelyReaches(box, within: radius) {
                    let bound = from.metres(to: GeodesicBound.widened(box, span: span), unlessBeyond: radius)
                    guard bound <= radius else { continue }
                }
                if leaf {
                    fids.append(id)
                    if fids.count - start > atMost { return false }
                } else {
                    pending.append((id, depth - 1))
                }
            }
        }
        return true
    }
}
