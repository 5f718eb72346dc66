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
        try write { db in
            let writer = StoreRowWriter(db: db)
            for table in StoreTable.copied.reversed() {
                try StoreChanges.forEach(in: newer, since: path, table: table) { change, row in
                    guard change == .removed else { return }
                    try writer.delete(table, row)
                    written += 1
                }
            }
            for table in StoreTable.copied {
                try StoreChanges.forEach(in: newer, since: path, table: table) { change, row in
                    switch change {
                    case .added: try writer.insert(table, row)
                    case .changed: try writer.update(table, row)
                    case .removed: return
                    }
                    written += 1
                }
            }
        }
        return written
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
