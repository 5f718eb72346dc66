import GRDB
import Geometry

/// Builds a GeoPackage R*Tree index in one pass: every geometry's envelope read from the
/// feature table, sorted along a Hilbert curve, packed bottom-up into full nodes and written
/// straight into the R*Tree's three shadow tables (`_node`, `_rowid`, `_parent`).
///
/// ```swift
/// try RTreeBulkLoad(index: RTreeIndex(table: "sites", column: "geom", idColumn: "fid")).run(db)
/// ```
/// Inserting rows one at a time through SQLite's R*Tree costs 10–25 µs each (node choice,
/// splits, re-insertion); a packed build costs about 1 µs per row and gives a tree with full
/// nodes and little overlap. The result is exactly what SQLite's own module reads and
/// maintains afterwards: nodes of the size the table was created with (taken from its root),
/// cells of a 64-bit id and four 32-bit floats, big-endian, the tree depth in the root's
/// first two bytes, and coordinates rounded outwards the way the module rounds them (so
/// `rtreecheck()` passes and later inserts, updates and deletes go on as usual).
///
/// Run it inside the write transaction that changed the table, so that readers see the old
/// index or the new one, never a mix.
///
/// It writes only the R*Tree's own shadow tables, with ordinary INSERT and DELETE, as
/// GDAL's GeoPackage driver does for its bulk loads; never SQLite's schema. What it writes
/// must hold SQLite's invariants for an R*Tree (`rtree.c`), which `rtreecheck()` checks:
/// - Node size: every `_node.data` blob is as long as the root's, which the module fixed
///   when the table was created: `pageSize - 64` bytes, at most 4 + 51 × 24 = 1,228 (51
///   cells, `RTREE_MAXCELLS`), so 51 with 4 KiB pages. A node holds `(size - 4) / 24` cells,
///   4 bytes of header then 24 per cell, the rest zero. (51 boxes fill the root leaf; the
///   52nd makes a tree of depth 1.)
/// - Root: node 1, always present (also for an empty index: no cells). Its first two bytes
///   are the depth of the tree (0: the root is a leaf); other nodes have 0 there. Bytes 2–3
///   of every node are its cell count. Every leaf is at the same depth.
/// - Cells: a leaf's cells are (row id, minX, maxX, minY, maxY); an inner node's, (child
///   node number, the union of the child's cells). Each min ≤ max; a child's cells lie inside
///   its parent's cell for it (`rtreecheck` compares them).
/// - `_parent`: one row (nodeno → parentnode) for every node but the root, pointing at the
///   node whose cell names it. `_rowid`: one row (rowid → nodeno) for every row id in a
///   leaf, naming that leaf. `rtreecheck` looks up every cell's entry in these two maps and
///   counts that they hold no others.
/// - Coordinates: 32-bit floats, each min rounded down and each max up from the double
///   (`down`, `up`), as the module rounds what it is given, so that an index built here and
///   one built by the triggers hold the same boxes.
/// Node numbers other than the root's are free to choose (here: leaves, then each level up,
/// from 2); the module takes new ones from `_node`'s largest.
/// - Complexity: O(n log n) for n indexed rows.
struct RTreeBulkLoad {
    var index: RTreeIndex

    /// A box as the R*Tree stores it.
    private struct Box {
        var minX, maxX, minY, maxY: Float
    }

    /// One indexed box: a row id (leaves) or a child node number (inner nodes).
    private struct Cell {
        var id: Int64
        var minX, maxX, minY, maxY: Float
    }

    /// Replaces the whole index with one built from the table's current rows.
    ///
    /// Memory: 8 bytes per row for the sort (Hilbert key and the row's offset from the first
    /// fid), 16 per fid for its box and 4 per fid for the leaf each row lands in. (Reading
    /// the boxes again from the table in Hilbert order, one lookup per row, took 40% of the
    /// build.)
    /// - Returns: the number of rows indexed, or nil (nothing written) when the table's fids
    ///   are too sparse for that layout (a range over four times the row count, or beyond
    ///   32 bits): the caller then indexes the rows one by one.
    /// - Parameter newRows: the boxes of the rows from `firstFid` on, one per fid in order
    ///   (nil for an empty geometry), known to the caller that just wrote them: those rows
    ///   are not read back.
    @discardableResult
    func run(_ db: Database, newRows: (firstFid: Int64, boxes: [BoundingBox?])? = nil) throws -> Int? {
        let r = index.name, t = index.table, id = index.idColumn
        guard let nodeSize = try Int.fetchOne(db, sql: "SELECT length(data) FROM \(r)_node WHERE nodeno = 1"),
              nodeSize >= 4 + 2 * 24
        else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(r) has no root node", sql: nil)
        }
        let capacity = (nodeSize - 4) / 24
        // Each of min and max alone is one b-tree descent; together in one SELECT, a scan.
        let bounds = try Row.fetchOne(db, sql: """
            SELECT (SELECT min(\(id)) FROM \(t)), (SELECT max(\(id)) FROM \(t)), (SELECT count(*) FROM \(t))
            """)
        let firstFid: Int64 = bounds?[0] ?? 0, lastFid: Int64 = bounds?[1] ?? -1, rows: Int = bounds?[2] ?? 0
        let range = lastFid - firstFid + 1
        guard range <= Int64(UInt32.max), range <= 4 * Int64(rows) + 1_000_000 else { return nil }

        var (entries, boxes) = try hilbertEntries(db, firstFid: firstFid, range: Int(max(0, range)), rows: rows, newRows: newRows)
        entries.sort()
        // The three shadow tables are rewritten whole, with ordinary SQL; the R*Tree's own table
        // and SQLite's schema are left as they are (see the invariants above).
        try db.execute(sql: "DELETE FROM \(r)_node; DELETE FROM \(r)_rowid; DELETE FROM \(r)_parent")
        let insertNode = try RawStatement(db, "INSERT INTO \(r)_node (nodeno, data) VALUES (?, ?)")
        let insertParent = try RawStatement(db, "INSERT INTO \(r)_parent (nodeno, parentnode) VALUES (?, ?)")
        var blob = [UInt8](repeating: 0, count: nodeSize)
        var nextNode: Int64 = 2
        func write(_ members: some Collection<Cell>, node: Int64, depth: Int) throws {
            Self.encode(members, depth: node == 1 ? depth : 0, into: &blob)
            insertNode.bind(1, node)
            blob.withUnsafeBytes { insertNode.bind(2, $0) }
            try insertNode.run()
        }
        // The root (the only node of its level) is node 1; every other node the next number.
        func number(amongNodes count: Int) -> Int64 {
            guard count > 1 else { return 1 }
            defer { nextNode += 1 }
            return nextNode
        }

        // Leaves, in Hilbert order, each remembered against its rows' fids.
        var leafOf = [UInt32](repeating: 0, count: Int(max(0, range)))
        let leafGroups = Self.groups(entries.count, capacity: capacity)
        var cells: [Cell] = []
        cells.reserveCapacity(leafGroups.count)
        for group in leafGroups {
            let node = number(amongNodes: leafGroups.count)
            let members = group.map { i -> Cell in
                let offset = Int(entries[i] & 0xFFFF_FFFF), box = boxes[offset]
                return Cell(id: firstFid + Int64(offset), minX: box.minX, maxX: box.maxX, minY: box.minY, maxY: box.maxY)
            }
            try write(members, node: node, depth: 0)
            for i in group { leafOf[Int(entries[i] & 0xFFFF_FFFF)] = UInt32(truncatingIfNeeded: node) }
            cells.append(Self.union(members[...], id: node))
        }
        let count = entries.count
        entries = []
        boxes = []

        // Inner levels up to the root (node 1), which carries the depth.
        var depth = 1
        while cells.count > 1 {
            let groups = Self.groups(cells.count, capacity: capacity)
            var parents: [Cell] = []
            parents.reserveCapacity(groups.count)
            for group in groups {
                let node = number(amongNodes: groups.count)
                try write(cells[group], node: node, depth: depth)
                for cell in cells[group] {   // `_parent`: every node but the root names its parent
                    insertParent.bind(1, cell.id)
                    insertParent.bind(2, node)
                    try insertParent.run()
                }
                parents.append(Self.union(cells[group], id: node))
            }
            cells = parents
            depth += 1
        }

        // `_rowid`: every indexed row id names its leaf. In ascending order, the rows append to
        // the rowid table's b-tree instead of scattering.
        var offset = 0
        try RawStatement.insertRows(db, into: "\(r)_rowid", columns: ["rowid", "nodeno"], count: count) { statement, parameter, _ in
            while leafOf[offset] == 0 { offset += 1 }   // a fid without a row, or an empty geometry
            statement.bind(parameter, firstFid + Int64(offset))
            statement.bind(parameter + 1, Int64(leafOf[offset]))
            offset += 1
        }
        return count
    }

    /// For every non-empty geometry, its Hilbert key (the centre of its box on a 65,536² grid
    /// over the whole globe) above its offset from `firstFid`: sorting these orders the rows
    /// along the curve, ties by fid. And every fid's box as the R*Tree stores it, by offset.
    private func hilbertEntries(_ db: Database, firstFid: Int64, range: Int, rows: Int,
                                newRows: (firstFid: Int64, boxes: [BoundingBox?])?) throws -> ([UInt64], [Box]) {
        var entries: [UInt64] = []
        entries.reserveCapacity(rows)
        var boxes = [Box](repeating: Box(minX: 0, maxX: 0, minY: 0, maxY: 0), count: range)
        func add(fid: Int64, box: BoundingBox) {
            let x = ((box.minX + box.maxX) / 2 + 180) / 360 * 65535
            let y = ((box.minY + box.maxY) / 2 + 90) / 180 * 65535
            let key = Self.hilbert(UInt32(max(0, min(65535, x))), UInt32(max(0, min(65535, y))))
            let offset = fid - firstFid
            entries.append(key << 32 | UInt64(offset))
            boxes[Int(offset)] = Box(minX: Self.down(box.minX), maxX: Self.up(box.maxX),
                                     minY: Self.down(box.minY), maxY: Self.up(box.maxY))
        }
        let select = try RawStatement(db, """
            SELECT \(index.idColumn), \(index.column) FROM \(index.table)
            WHERE \(index.column) IS NOT NULL AND \(index.idColumn) < ?
            """)
        select.bind(1, newRows?.firstFid ?? Int64.max)
        while try select.step() {
            guard let blob = select.blob(1) else { continue }
            let header: GeoPackageHeader
            do {
                header = try GeoPackageHeader(blob: blob)
            } catch {
                // The trigger would have refused this row too: same message, same error kind.
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "ST_MinX: \(error)", sql: select.sql)
            }
            guard !header.isEmpty, let box = header.envelope else { continue }
            add(fid: select.int64(0), box: box)
        }
        if let newRows {
            for (i, box) in newRows.boxes.enumerated() {
                if let box { add(fid: newRows.firstFid + Int64(i), box: box) }
            }
        }
        return (entries, boxes)
    }

    /// Distance along the Hilbert curve of order 16 to the grid cell (x, y).
    static func hilbert(_ x: UInt32, _ y: UInt32) -> UInt64 {
        let n: UInt32 = 1 << 16
        var x = x, y = y, d: UInt64 = 0
        var s = n / 2
        while s > 0 {
            let rx: UInt32 = x & s > 0 ? 1 : 0
            let ry: UInt32 = y & s > 0 ? 1 : 0
            d += UInt64(s) * UInt64(s) * UInt64((3 * rx) ^ ry)
            if ry == 0 {
                if rx == 1 {
                    x = n - 1 - x
                    y = n - 1 - y
                }
                swap(&x, &y)
            }
            s /= 2
        }
        return d
    }

    /// `count` cells split into the fewest nodes of at most `capacity`, as even as possible
    /// (one group, possibly empty, for the root).
    private static func groups(_ count: Int, capacity: Int) -> [Range<Int>] {
        let nodes = max(1, (count + capacity - 1) / capacity)
        return (0..<nodes).map { i in (i * count / nodes)..<((i + 1) * count / nodes) }
    }

    private static func union(_ cells: some Collection<Cell>, id: Int64) -> Cell {
        var u = Cell(id: id, minX: .infinity, maxX: -.infinity, minY: .infinity, maxY: -.infinity)
        for c in cells {
            u.minX = min(u.minX, c.minX); u.maxX = max(u.maxX, c.maxX)
            u.minY = min(u.minY, c.minY); u.maxY = max(u.maxY, c.maxY)
        }
        return u
    }

    /// The node format of SQLite's R*Tree: depth (root only) and cell count as 16-bit
    /// big-endian, then per cell a 64-bit id and the four coordinates as big-endian floats;
    /// the rest of the node zero.
    private static func encode(_ cells: some Collection<Cell>, depth: Int, into blob: inout [UInt8]) {
        blob.withUnsafeMutableBytes { out in
            out.initializeMemory(as: UInt8.self, repeating: 0)
            out.storeBytes(of: UInt16(depth).bigEndian, toByteOffset: 0, as: UInt16.self)
            out.storeBytes(of: UInt16(cells.count).bigEndian, toByteOffset: 2, as: UInt16.self)
            var offset = 4
            for c in cells {
                out.storeBytes(of: UInt64(bitPattern: c.id).bigEndian, toByteOffset: offset, as: UInt64.self)
                for (i, v) in [c.minX, c.maxX, c.minY, c.maxY].enumerated() {
                    out.storeBytes(of: v.bitPattern.bigEndian, toByteOffset: offset + 8 + 4 * i, as: UInt32.self)
                }
                offset += 24
            }
        }
    }

    /// A lower bound as the R*Tree module stores it: the nearest float not above `d`
    /// (SQLite's rtreeValueDown).
    static func down(_ d: Double) -> Float {
        let f = Float(d)
        guard Double(f) > d else { return f }
        return Float(d * (d < 0 ? 1 + 1 / 8_388_608.0 : 1 - 1 / 8_388_608.0))
    }

    /// An upper bound as the R*Tree module stores it (SQLite's rtreeValueUp).
    static func up(_ d: Double) -> Float {
        let f = Float(d)
        guard Double(f) < d else { return f }
        return Float(d * (d < 0 ? 1 - 1 / 8_388_608.0 : 1 + 1 / 8_388_608.0))
    }
}
