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
        try db.cachedStatement(sql: table.insertSQL).execute(arguments: StatementArguments(arguments))
    }
}
