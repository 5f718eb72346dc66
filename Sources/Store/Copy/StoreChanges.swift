import Foundation
import GRDB

/// What a row of a store became between two states of it: added, changed in some column, or
/// removed. Rows are matched by their table's key (`StoreTable.key`).
public enum RowChange: Int64, Sendable, CaseIterable {
    case added = 0
    case changed = 1
    case removed = 2
}

/// The rows that differ between a GeoPackage store and an earlier copy of it, table by table,
/// as engines exchange them (`StoreTable`): what a write did to a store, to be written again
/// elsewhere (an import into a PostGIS database is made on a copy of it, then its changes are
/// written to the database).
///
/// ```swift
/// try StoreChanges.forEach(in: "after.gpkg", since: "before.gpkg", table: .siteNames) { change, row in
///     if change == .added { added.append(row) }   // row[0] is its key: 4812
/// }
/// ```
/// Both files are opened read-only, on a connection of their own.
public enum StoreChanges {
    /// Calls `body` with each row of `table` that `path` holds and `before` does not (added),
    /// holds with another value in some column (changed; the row as it is now), or that only
    /// `before` holds (removed; the row as it was), in key order within each kind: added and
    /// changed first, then removed.
    /// - Throws: `StoreError` when a file cannot be opened or read, or a geometry does not decode.
    /// - Complexity: O(n log n) for n rows of the table in the two files (each row of one is
    ///   looked up by key in the other).
    public static func forEach(in path: String, since before: String, table: StoreTable,
                               _ body: (RowChange, [StoredValue]) throws -> Void) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "graveatlas.changes"
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: configuration) } catch {
            throw StoreError.database(path: path, message: "cannot open it to find what changed: \(error)", sql: nil)
        }
        do {
            try queue.inDatabase { db in
                try db.execute(sql: "ATTACH DATABASE ? AS before", arguments: [before])
                defer { try? db.execute(sql: "DETACH DATABASE before") }
                let key = StoreTable.quoted(table.key)
                let columns = table.columns.map { "a." + StoreTable.quoted($0.name) }.joined(separator: ", ")
                let same = table.columns.map { "a.\(StoreTable.quoted($0.name)) IS b.\(StoreTable.quoted($0.name))" }
                    .joined(separator: " AND ")
                let condition = SiteStore.rowCondition(table)
                let carried = condition.isEmpty ? "" : " AND a." + condition.dropFirst(" WHERE ".count)
                let current = """
                    SELECT \(columns), b.\(key) IS NULL FROM main.\(table.name) a
                    LEFT JOIN before.\(table.name) b ON b.\(key) = a.\(key)
                    WHERE (b.\(key) IS NULL OR NOT (\(same)))\(carried)
                    ORDER BY a.\(key)
                    """
                try emit(db, sql: current, table: table) { row, values in
                    try body((row[table.columns.count] as Bool) ? .added : .changed, values)
                }
                let gone = """
                    SELECT \(columns) FROM before.\(table.name) a
                    WHERE NOT EXISTS (SELECT 1 FROM main.\(table.name) b WHERE b.\(key) = a.\(key))\(carried)
                    ORDER BY a.\(key)
                    """
                try emit(db, sql: gone, table: table) { _, values in try body(.removed, values) }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, message: "cannot compare \(table.name) with \(before): \(error.message ?? "\(error)")", sql: nil)
        }
    }

    private static func emit(_ db: Database, sql: String, table: StoreTable,
                             _ body: (Row, [StoredValue]) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql)
        while let row = try rows.next() {
            var values: [StoredValue] = []
            values.reserveCapacity(table.columns.count)
            let fid = Int64.fromDatabaseValue(row[0] as DatabaseValue)
            for (index, column) in table.columns.enumerated() {
                values.append(try SiteStore.storedValue(row[index] as DatabaseValue, column.kind, fid: fid))
            }
            try body(row, values)
        }
    }

    /// Calls `body` with the search words (`StoreTable.searchEntries`) of each site whose
    /// indexed text `path` holds and `before` does not hold the same (`.added`: its words now),
    /// and the id of each site whose text only `before` holds (`.removed`, with empty lists).
    /// - Throws: `StoreError` as `forEach(in:since:table:_:)`.
    public static func forEachSearchEntry(in path: String, since before: String,
                                          _ body: (RowChange, [StoredValue]) throws -> Void) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "graveatlas.changes"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try SearchTokens.withTokenizer { tokenizer in
                try queue.inDatabase { db in
                    try db.execute(sql: "ATTACH DATABASE ? AS before", arguments: [before])
                    defer { try? db.execute(sql: "DETACH DATABASE before") }
                    let now = try Row.fetchCursor(db, sql: """
                        SELECT s.uuid, a.names, a.description, a.attributes FROM main.site_search_text a
                        JOIN main.sites s ON s.fid = a.fid
                        LEFT JOIN before.site_search_text b ON b.fid = a.fid
                        LEFT JOIN before.sites t ON t.fid = b.fid
                        WHERE b.fid IS NULL OR t.uuid IS NOT s.uuid
                           OR NOT (a.names IS b.names AND a.description IS b.description AND a.attributes IS b.attributes)
                        ORDER BY a.fid
                        """)
                    while let row = try now.next() {
                        var values: [StoredValue] = [.text((row[0] as String? ?? "").uppercased())]
                        for column in 1...3 {
                            values.append(.text(StoreTable.arrayLiteral(try tokenizer.tokens(row[column] as String? ?? ""))))
                        }
                        try body(.added, values)
                    }
                    let gone = try Row.fetchCursor(db, sql: """
                        SELECT t.uuid FROM before.site_search_text b JOIN before.sites t ON t.fid = b.fid
                        WHERE NOT EXISTS (SELECT 1 FROM main.site_search_text a JOIN main.sites s ON s.fid = a.fid
                                          WHERE a.fid = b.fid AND s.uuid = t.uuid)
                        ORDER BY b.fid
                        """)
                    while let row = try gone.next() {
                        try body(.removed, [.text((row[0] as String? ?? "").uppercased()), .text("{}"), .text("{}"), .text("{}")])
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, message: "cannot compare the search text with \(before): \(error.message ?? "\(error)")", sql: nil)
        }
    }
}
