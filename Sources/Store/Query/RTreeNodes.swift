import Foundation
import GRDB
import Geometry

/// One node of the sites' R*Tree as SQLite keeps it in `rtree_sites_geom_node`: its cells'
/// ids (child node numbers, or site fids in a leaf) and boxes.
///
/// ```swift
/// let root = try RTreeNode(blob: bytes)    // node 1
/// root.depth                               // 0 when the root is a leaf
/// root.boxes[0]                            // minX, minY, maxX, maxY of the first cell
/// ```
/// SQLite's format (rtree.c): a 2-byte big-endian depth (meaningful in the root only), a
/// 2-byte big-endian cell count, then per cell an 8-byte big-endian id and four big-endian
/// float32 (minX, maxX, minY, maxY), rounded outward so they hold the true box.
/// - Complexity: O(cells).
struct RTreeNode: Sendable {
    var depth: Int
    var ids: [Int64]
    var boxes: [BoundingBox]

    init(blob: UnsafeRawBufferPointer, nodeNumber: Int64) throws {
        func fail(_ reason: String) -> StoreError {
            .database(path: "", message: "R*Tree node \(nodeNumber) is damaged: \(reason)", sql: nil)
        }
        guard blob.count >= 4 else { throw fail("\(blob.count) bytes") }
        func u16(_ at: Int) -> Int { Int(blob[at]) << 8 | Int(blob[at + 1]) }
        depth = u16(0)
        let count = u16(2)
        guard 4 + 24 * count <= blob.count else { throw fail("\(count) cells in \(blob.count) bytes") }
        ids = []
        boxes = []
        ids.reserveCapacity(count)
        boxes.reserveCapacity(count)
        for cell in 0..<count {
            let at = 4 + 24 * cell
            var id: UInt64 = 0
            for i in 0..<8 { id = id << 8 | UInt64(blob[at + i]) }
            func float(_ k: Int) -> Double {
                var bits: UInt32 = 0
                for i in 0..<4 { bits = bits << 8 | UInt32(blob[at + 8 + 4 * k + i]) }
                return Double(Float(bitPattern: bits))
            }
            ids.append(Int64(bitPattern: id))
            boxes.append(BoundingBox(minX: float(0), minY: float(2), maxX: float(1), maxY: float(3)))
        }
    }
}

/// Reads R*Tree nodes with SQL (never writing the node table), keeping the ones read for
/// later queries on the same connection until the file changes (see `SpatialMemo`).
///
/// ```swift
/// let nodes = RTreeNodes()
/// let root = try nodes.node(1, db)
/// ```
/// At most `limit` nodes are kept (about 4 KiB each when full); past that they are read
/// again when needed.
/// - Complexity: O(1) for a kept node, an index probe and O(cells) otherwise.
final class RTreeNodes: @unchecked Sendable {   // used by one read at a time, on its connection
    static let limit = 8_192
    private var kept: [Int64: RTreeNode] = [:]

    func node(_ number: Int64, _ db: Database) throws -> RTreeNode {
        if let node = kept[number] { return node }
        let select = try RawStatement(cached: db, "SELECT data FROM rtree_sites_geom_node WHERE nodeno = ?")
        select.bind(1, number)
        defer { select.reset() }
        guard try select.step(), let blob = select.blob(0) else {
            throw StoreError.database(path: "", message: "R*Tree node \(number) is missing", sql: select.sql)
        }
        let node = try RTreeNode(blob: blob, nodeNumber: number)
        if kept.count < Self.limit { kept[number] = node }
        return node
    }
}
