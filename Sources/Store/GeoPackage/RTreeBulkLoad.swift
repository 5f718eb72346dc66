import GRDB

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
/// - Complexity: O(n log n) for n indexed rows.
struct RTreeBulkLoad {
    var index: RTreeIndex

    /// One indexed box: a row id (leaves) or a child node number (inner nodes), and a sort
    /// key (the Hilbert index of its centre, then the leaf it was written to): 32 bytes, so a
    /// million rows take 32 MB, sorted in place.
    private struct Cell {
        var id: Int64
        var key: UInt32 = 0
        var minX, maxX, minY, maxY: Float
    }

    /// Replaces the whole index with one built from the table's current rows.
    /// - Returns: the number of rows indexed.
    @discardableResult
    func run(_ db: Database) throws -> Int {
        let r = index.name
        guard let nodeSize = try Int.fetchOne(db, sql: "SELECT length(data) FROM \(r)_node WHERE nodeno = 1"),
              nodeSize >= 4 + 2 * 24
        else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(r) has no root node", sql: nil)
        }
        let capacity = (nodeSize - 4) / 24
        var cells = try envelopes(db)
        let count = cells.count
        sortAlongHilbertCurve(&cells)

        try db.execute(sql: "DELETE FROM \(r)_node; DELETE FROM \(r)_rowid; DELETE FROM \(r)_parent")
        let insertNode = try RawStatement(db, "INSERT INTO \(r)_node (nodeno, data) VALUES (?, ?)")
        let insertParent = try RawStatement(db, "INSERT INTO \(r)_parent (nodeno, parentnode) VALUES (?, ?)")
        var leaves: [Cell] = []
        var blob = [UInt8](repeating: 0, count: nodeSize)
        var nextNode: Int64 = 2
        var depth = 0
        while true {
            let groups = Self.groups(cells.count, capacity: capacity)
            var parents: [Cell] = []
            parents.reserveCapacity(groups.count)
            for group in groups {
                let node: Int64
                if groups.count == 1 {
                    node = 1
                } else {
                    node = nextNode
                    nextNode += 1
                }
                let members = cells[group]
                Self.encode(members, depth: node == 1 ? depth : 0, into: &blob)
                insertNode.bind(1, node)
                blob.withUnsafeBytes { insertNode.bind(2, $0) }
                try insertNode.run()
                if depth > 0 {
                    for cell in members {
                        insertParent.bind(1, cell.id)
                        insertParent.bind(2, node)
                        try insertParent.run()
                    }
                }
                parents.append(Self.union(members, id: node))
            }
            if depth == 0 {
                // Remember each row's leaf in its key (node numbers fit: a leaf holds dozens).
                for (group, node) in zip(groups, parents.map(\.id)) {
                    for i in group { cells[i].key = UInt32(truncatingIfNeeded: node) }
                }
                swap(&leaves, &cells)
            }
            if groups.count == 1 { break }
            cells = parents
            depth += 1
        }
        // Row ids in ascending order append to the rowid table's b-tree instead of scattering.
        leaves.sort { $0.id < $1.id }
        let insertRow = try RawStatement(db, "INSERT INTO \(r)_rowid (rowid, nodeno) VALUES (?, ?)")
        for leaf in leaves {
            insertRow.bind(1, leaf.id)
            insertRow.bind(2, Int64(leaf.key))
            try insertRow.run()
        }
        return count
    }

    /// The envelope of every non-empty geometry, as the R*Tree stores it.
    private func envelopes(_ db: Database) throws -> [Cell] {
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(index.table)") ?? 0
        var cells: [Cell] = []
        cells.reserveCapacity(total)
        let select = try RawStatement(db, """
            SELECT \(index.idColumn), \(index.column) FROM \(index.table) WHERE \(index.column) IS NOT NULL
            """)
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
            cells.append(Cell(id: select.int64(0), minX: Self.down(box.minX), maxX: Self.up(box.maxX),
                              minY: Self.down(box.minY), maxY: Self.up(box.maxY)))
        }
        return cells
    }

    /// Orders cells by the Hilbert index of their centres on a 65,536² grid over their extent,
    /// ties by id, so that neighbours on the map share nodes.
    private func sortAlongHilbertCurve(_ cells: inout [Cell]) {
        guard var minX = cells.first?.minX, var minY = cells.first?.minY,
              var maxX = cells.first?.maxX, var maxY = cells.first?.maxY else { return }
        for c in cells {
            minX = min(minX, c.minX); maxX = max(maxX, c.maxX)
            minY = min(minY, c.minY); maxY = max(maxY, c.maxY)
        }
        let sx = maxX > minX ? 65535 / (Double(maxX) - Double(minX)) : 0
        let sy = maxY > minY ? 65535 / (Double(maxY) - Double(minY)) : 0
        for i in cells.indices {
            let c = cells[i]
            let x = ((Double(c.minX) + Double(c.maxX)) / 2 - Double(minX)) * sx
            let y = ((Double(c.minY) + Double(c.maxY)) / 2 - Double(minY)) * sy
            cells[i].key = UInt32(Self.hilbert(UInt32(max(0, min(65535, x))), UInt32(max(0, min(65535, y)))))
        }
        cells.sort { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }
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

    private static func union(_ cells: ArraySlice<Cell>, id: Int64) -> Cell {
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
    private static func encode(_ cells: ArraySlice<Cell>, depth: Int, into blob: inout [UInt8]) {
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
