import Foundation
import GRDB
import Geometry

/// A store's rows as engines exchange them (`StoreTable`): read in key order, written into a
/// new store in one transaction. `graveatlas copy` moves a whole store this way, ids, times and
/// history as they are.
extension SiteStore {
    /// Refuses a store whose tables do not have exactly the columns `StoreTable.copied` lists
    /// (a column this build would not carry to another engine).
    /// - Throws: `StoreError.invalidRecord` naming the table and the columns that differ.
    public func checkCopiedColumns() throws {
        try read { db in
            for table in StoreTable.copied {
                let found = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table.name])
                    .compactMap { $0[0] as String? }.filter { !table.uncopied.contains($0) }
                guard Set(found) == Set(table.columnNames) else {
                    let extra = Set(found).subtracting(table.columnNames).sorted()
                    let absent = Set(table.columnNames).subtracting(found).sorted()
                    throw StoreError.invalidRecord(id: table.name, reason:
                        "its columns are not the ones a copy carries (extra: \(extra.joined(separator: ", ")); " +
                        "absent: \(absent.joined(separator: ", ")))")
                }
            }
        }
    }

    /// The number of rows of `table` a copy carries.
    public func rowCount(of table: StoreTable) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)\(Self.rowCondition(table))") ?? 0
        }
    }

    /// Calls `body` with every row of `table` a copy carries, in key order, its values in
    /// `table.columns` order. Geometries are decoded and handed on as ISO WKB.
    /// - Throws: `StoreError.invalidGeometryBlob` for a geometry that does not decode.
    /// For `StoreTable.searchEntries`, each site's search words (`SearchTokens`) from the text
    /// the index was made from, in key order.
    public func forEachRow(of table: StoreTable, _ body: ([StoredValue]) throws -> Void) throws {
        if table == .searchEntries {
            return try SearchTokens.withTokenizer { tokenizer in
                try forEachSearchText { id, texts in
                    try body([.text(id.uppercased())] + texts.map { .text(StoreTable.arrayLiteral(try tokenizer.tokens($0))) })
                }
            }
        }
        let sql = "SELECT \(table.quotedColumnList) FROM \(table.name)\(Self.rowCondition(table)) ORDER BY \(table.key)"
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                var values: [StoredValue] = []
                values.reserveCapacity(table.columns.count)
                for (index, column) in table.columns.enumerated() {
                    values.append(try Self.storedValue(row[index] as DatabaseValue, column.kind,
                                                       fid: Int64.fromDatabaseValue(row[0] as DatabaseValue)))
                }
                try body(values)
            }
        }
    }

    /// Calls `body` with each site's id and the text of its search index's columns (names,
    /// description, source attributes; folded, as indexed), in key order.
    func forEachSearchText(_ body: (String, [String]) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.uuid, t.names, t.description, t.attributes FROM site_search_text t JOIN sites s ON s.fid = t.fid ORDER BY t.fid
                """)
            while let row = try rows.next() {
                try body(row[0] as String? ?? "", [row[1] as String? ?? "", row[2] as String? ?? "", row[3] as String? ?? ""])
            }
        }
    }

    /// Makes this store hold what `newer` holds (a GeoPackage of the same store at a later
    /// state: a new snapshot of the database this one was copied from), in one transaction:
    /// the rows only `newer` holds are added, those it holds otherwise rewritten, and those it
    /// lacks removed (children first), as `StoreChanges` finds them. The store's triggers keep
    /// its R-tree and search index in step. A server reading this store meanwhile sees the
    /// whole change at its commit, never part of it.
    /// - Returns: the rows written.
    public func takeRows(from newer: String) throws -> Int {
        var written = 0
        // Rows another tool gave a new key (the same `uuid`): moved in place, not removed, since
        // removing a site here would remove its names, events and links with it.
        var moves: [String: [StoredValue: StoredValue]] = [:]
        for table in StoreTable.copied where table.identityColumn != nil {
            var removed: [StoredValue: StoredValue] = [:], added: [StoredValue: StoredValue] = [:]
            try StoreChanges.forEach(in: newer, since: path, table: table) { change, row in
                guard let identity = table.identity(of: row), let key = row.first else { return }
                switch change {
                case .removed: removed[identity] = key
                case .added: added[identity] = key
                case .changed: return
                }
            }
            for (identity, old) in removed { if let new = added[identity] { moves[table.name, default: [:]][old] = new } }
        }
        try write { db in
            let writer = StoreRowWriter(db: db)
            for table in StoreTable.copied.reversed() {
                let moved = moves[table.name] ?? [:]
                try StoreChanges.forEach(in: newer, since: path, table: table) { change, row in
                    guard change == .removed, let key = row.first, moved[key] == nil else { return }
                    try writer.delete(table, row)
                    written += 1
                }
            }
            for table in StoreTable.copied {
                for (old, new) in moves[table.name] ?? [:] { try writer.move(table, from: old, to: new) }
            }
            for table in StoreTable.copied {
                let movedTo = Set((moves[table.name] ?? [:]).values)
                try StoreChanges.forEach(in: newer, since: path, table: table) { change, row in
                    switch change {
                    case .added:
                        if let key = row.first, movedTo.contains(key) { try writer.update(table, row) } else { try writer.insert(table, row) }
                    case .changed: try writer.update(table, row)
                    case .removed: return
                    }
                    written += 1
                }
            }
        }
        return written
    }

    /// Makes this store hold, within each part's scope, the rows the part holds (the rows of a
    /// newer state of the database this store was copied from, read where it changed), in one
    /// transaction: rows of the scope the part lacks are removed (children first), rows it
    /// holds are added, or rewritten when they differ. Rows outside every scope are left as
    /// they are. The store's triggers keep its R-tree and search index in step; a server
    /// reading this store meanwhile sees the whole change at its commit, never part of it.
    /// - Returns: the rows written (added, rewritten or removed).
    /// - Throws: as `StoreRowWriter.insert`; `StoreError.invalidRecord` for a row outside its
    ///   part's scope, or a part of a table whose key is not an integer with a scope.
    public func refreshRows(_ parts: [RowRefresh]) throws -> Int {
        var written = 0
        try write { db in
            let writer = StoreRowWriter(db: db)
            var held: [String: [StoredValue: [StoredValue]]] = [:]
            for part in parts { held[part.table.name] = try Self.rows(of: part, in: db) }
            // Rows given a new key (the same `uuid`) are moved in place, not removed: removing a
            // site here would remove its names, events and links with it.
            var moves: [String: [StoredValue: StoredValue]] = [:]
            for part in parts where part.table.identityColumn != nil {
                let rows = held[part.table.name] ?? [:]
                let newKeys = Dictionary(part.rows.compactMap { row in part.table.identity(of: row).flatMap { id in row.first.map { (id, $0) } } },
                                         uniquingKeysWith: { first, _ in first })
                for (key, row) in rows {
                    if let identity = part.table.identity(of: row), let new = newKeys[identity], new != key {
                        moves[part.table.name, default: [:]][key] = new
                    }
                }
            }
            // Removals first, children before parents.
            for table in StoreTable.copied.reversed() {
                for part in parts where part.table == table {
                    let kept = Set(part.rows.compactMap(\.first))
                    let moved = moves[table.name] ?? [:]
                    for (key, row) in held[table.name] ?? [:] where !kept.contains(key) && moved[key] == nil {
                        try writer.delete(table, row)
                        written += 1
                    }
                }
            }
            for table in StoreTable.copied {
                for (old, new) in moves[table.name] ?? [:] {
                    try writer.move(table, from: old, to: new)
                    if var row = held[table.name]?.removeValue(forKey: old) {
                        row[0] = new
                        held[table.name]?[new] = row
                    }
                    written += 1
                }
            }
            for table in StoreTable.copied {
                for part in parts where part.table == table {
                    for row in part.rows {
                        guard let key = row.first, part.holds(key) else {
                            throw StoreError.invalidRecord(id: table.name, reason: "a row outside the keys it was read for")
                        }
                        if let old = held[table.name]?[key] {
                            guard old != row else { continue }
                            try writer.update(table, row)
                        } else {
                            try writer.insert(table, row)
                        }
                        written += 1
                    }
                }
            }
        }
        return written
    }

    /// The rows of this store within `part`'s scope, by key.
    private static func rows(of part: RowRefresh, in db: Database) throws -> [StoredValue: [StoredValue]] {
        let table = part.table
        let select = "SELECT \(table.quotedColumnList) FROM \(table.name)"
        var queries: [(String, StatementArguments)] = []
        if let scope = part.scope {
            guard table.columns.first?.kind == .key else {
                throw StoreError.invalidRecord(id: table.name, reason: "its key is not an integer: it is refreshed whole")
            }
            let key = StoreTable.quoted(table.key)
            queries = scope.map { ("\(select) WHERE \(key) BETWEEN ? AND ?", [$0.lowerBound, $0.upperBound]) }
        } else {
            queries = [(select + rowCondition(table), [])]
        }
        var found: [StoredValue: [StoredValue]] = [:]
        for (sql, arguments) in queries {
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                var values: [StoredValue] = []
                values.reserveCapacity(table.columns.count)
                for (index, column) in table.columns.enumerated() {
                    values.append(try storedValue(row[index] as DatabaseValue, column.kind, fid: Int64.fromDatabaseValue(row[0] as DatabaseValue)))
                }
                if let key = values.first { found[key] = values }
            }
        }
        return found
    }

    /// Writes rows into this store in one transaction: all of them, or none when `body` or a
    /// row throws. For a store just made (`create(at:)`): rows keep their keys, so a table that
    /// already holds one of them refuses it. The sites' R-tree and search index are made for
    /// the new sites at the end, as an import's batch makes them (`DeferredIndexes`; a trigger
    /// per row cost two thirds of a copy's time).
    public func writeRows(_ body: (StoreRowWriter) throws -> Void) throws {
        try write { db in
            let indexes = try DeferredIndexes(db)
            indexes.namesWritten = true
            try body(StoreRowWriter(db: db))
            try indexes.finish(db)
        }
    }

    /// `store_metadata` carries only its settings.
    static func rowCondition(_ table: StoreTable) -> String {
        guard table.name == StoreTable.settings.name else { return "" }
        return " WHERE key IN (\(StoreTable.settingKeys.map { "'\($0)'" }.joined(separator: ", ")))"
    }

    static func storedValue(_ value: DatabaseValue, _ kind: StoreTable.Kind, fid: Int64?) throws -> StoredValue {
        switch value.storage {
        case .null: return .null
        case .int64(let n): return kind == .real ? .real(Double(n)) : .integer(n)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .blob(let data):
            if kind == .blob { return .blob([UInt8](data)) }
            guard kind == .geometry else { return .text(String(decoding: data, as: UTF8.self)) }
            let geometry = try data.withUnsafeBytes { buffer -> Geometry in
                do { return try GeoPackageBinary.decode(buffer) } catch let StoreError.invalidGeometryBlob(_, reason) {
                    throw StoreError.invalidGeometryBlob(fid: fid, reason: reason)
                }
            }
            return .wkb(geometry.wkb())
        }
    }
}

/// Inserts exchanged rows into a store inside `SiteStore.writeRows`.
public struct StoreRowWriter {
    let db: Database

    /// Inserts one row of `table`, its values in `table.columns` order (WKB geometries are
    /// written as GeoPackageBinary).
    /// - Throws: `StoreError.invalidRecord` for a row of the wrong width or a WKB that does not
    ///   decode; the database's refusal (a constraint) as `StoreError.database`.
    public func insert(_ table: StoreTable, _ row: [StoredValue]) throws {
        try db.cachedStatement(sql: table.insertSQL).execute(arguments: StatementArguments(try Self.values(table, row)))
    }

    /// Writes `row` over the row of `table` with its key (the first value).
    /// - Throws: as `insert`.
    func update(_ table: StoreTable, _ row: [StoredValue]) throws {
        let values = try Self.values(table, row)
        let key = StoreTable.quoted(table.columns[0].name)
        let set = table.columns.dropFirst().map { "\(StoreTable.quoted($0.name)) = ?" }.joined(separator: ", ")
        try db.cachedStatement(sql: "UPDATE \(table.name) SET \(set) WHERE \(key) = ?")
            .execute(arguments: StatementArguments(Array(values.dropFirst()) + [values[0]]))
    }

    /// Gives the row of `table` keyed `old` the key `new` (the store's triggers renumber its
    /// R-tree and search entries; rows that name it by `uuid` keep naming it).
    func move(_ table: StoreTable, from old: StoredValue, to new: StoredValue) throws {
        guard case .integer(let from) = old, case .integer(let to) = new else {
            throw StoreError.invalidRecord(id: table.name, reason: "a key moved that is not an integer")
        }
        let key = StoreTable.quoted(table.columns[0].name)
        try db.cachedStatement(sql: "UPDATE \(table.name) SET \(key) = ? WHERE \(key) = ?").execute(arguments: [to, from])
    }

    /// Removes the row of `table` with the key `row` holds (its first value).
    func delete(_ table: StoreTable, _ row: [StoredValue]) throws {
        let values = try Self.values(table, row)
        try db.cachedStatement(sql: "DELETE FROM \(table.name) WHERE \(StoreTable.quoted(table.columns[0].name)) = ?")
            .execute(arguments: [values[0]])
    }

    /// `row`'s values as SQLite takes them (WKB geometries as GeoPackageBinary).
    private static func values(_ table: StoreTable, _ row: [StoredValue]) throws -> [DatabaseValue] {
        guard row.count == table.columns.count else {
            throw StoreError.invalidRecord(id: table.name, reason: "a row of \(row.count) values for \(table.columns.count) columns")
        }
        var arguments: [DatabaseValue] = []
        arguments.reserveCapacity(row.count)
        for value in row {
            switch value {
            case .null: arguments.append(.null)
            case .integer(let n): arguments.append(n.databaseValue)
            case .real(let d): arguments.append(d.databaseValue)
            case .text(let s): arguments.append(s.databaseValue)
            case .wkb(let bytes):
                let geometry: Geometry
                do { geometry = try Geometry.decodeWKB(bytes).geometry } catch {
                    throw StoreError.invalidRecord(id: "\(table.name) row \(row.first.map { "\($0)" } ?? "")",
                                                   reason: "its geometry is not valid WKB: \(error)")
                }
                arguments.append(Data(GeoPackageBinary.encode(geometry)).databaseValue)
            case .blob(let bytes): arguments.append(Data(bytes).databaseValue)
            }
        }
        return arguments
    }
}

/// One table's part of `SiteStore.refreshRows`: the rows it holds now within `scope`, ranges of
/// its integer keys (nil: the whole table, as a copy carries it).
public struct RowRefresh: Sendable {
    public var table: StoreTable
    public var scope: [ClosedRange<Int64>]?
    /// Values in `table.columns` order, as `forEachRow` gives them.
    public var rows: [[StoredValue]]

    public init(table: StoreTable, scope: [ClosedRange<Int64>]?, rows: [[StoredValue]]) {
        self.table = table
        self.scope = scope
        self.rows = rows
    }

    /// Whether `key` is within the scope.
    func holds(_ key: StoredValue) -> Bool {
        guard let scope else { return true }
        guard case .integer(let n) = key else { return false }
        return scope.contains { $0.contains(n) }
    }
}

extension StoreTable {
    /// The index of the column naming a row whatever its key (`uuid`), in the tables that have one.
    var identityColumn: Int? { columns.firstIndex { $0.name == "uuid" && $0.kind == .uuid } }

    /// The row's `uuid`, in the tables that have one.
    func identity(of row: [StoredValue]) -> StoredValue? {
        guard let index = identityColumn, index < row.count else { return nil }
        return row[index]
    }
}
