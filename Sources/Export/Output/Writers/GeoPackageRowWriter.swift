import Foundation
import GRDB
import Store

/// Writes a GeoPackage: a GraveAtlas store holding the rows' sites as the audience sees them
/// (see `Site.safeguardedCopy`), with one more column per figure and per shown source
/// attribute (`source:FIELD`), so that GDAL and QGIS show them as fields. At `public` and
/// `partner` the copy then becomes a publication GeoPackage with only the columns that
/// audience sees (see `publish(_:cellSize:)`); only an `internal` copy stays a store.
///
/// ```swift
/// let w = try GeoPackageRowWriter(.file("partner.gpkg"), columns: columns, options: OutputOptions())
/// for record in records { try w.write(record) }
/// _ = try w.finish(summary: nil)   // ["partner.gpkg"]
/// ```
/// Sites are inserted `batchSize` at a time with `SiteStore.insertBatch`, so memory stays
/// bounded; the extra cells wait in a side file (`OUT.extra`) and join the `sites` table at the
/// end, each column typed INTEGER, REAL, BOOLEAN or TEXT by the values it holds. The result is
/// one self-contained file (no `-wal`). An existing file at the path is replaced. Only rows of
/// store sites can be written (plain features have no site to copy), and only to a file.
public final class GeoPackageRowWriter: RowWriter {
    public let path: String
    public let columns: OutputColumns
    public var batchSize = 50_000
    public var needsSites: Bool { true }
    private let copy: SiteStore
    private let policy: SafeguardingPolicy
    private let extraNames: [String]
    private var extraKinds: [Kind?]
    private let side: DatabaseQueue?
    /// The GeoPackage and the side table, written beside `path`; the first is moved into
    /// place by `finish`, the second removed (see `PartialFile`).
    private let partial: PartialFile
    private let sidePartial: PartialFile
    private var batch: [Site] = []
    private var extras: [[DatabaseValue]] = []
    private var written = 0

    enum Kind: Int, Comparable {
        case boolean, integer, real, text
        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
        var sqlType: String { ["BOOLEAN", "INTEGER", "REAL", "TEXT"][rawValue] }
    }

    public init(_ target: OutputTarget, columns: OutputColumns, options: OutputOptions) throws {
        guard case let .file(path) = target else {
            throw ExportError.unsupportedTarget(format: "gpkg", reason: "writes only to a file; give -o FILE")
        }
        guard let view = columns.view else {
            throw ExportError.unsupportedTarget(format: "gpkg", reason: "writes store sites, not plain features")
        }
        self.path = path
        self.columns = columns
        policy = SafeguardingPolicy(audience: view.audience, grid: view.grid,
                                    generalisedFields: view.generalisedFields)
        let extraNames = Array(columns.figures) + columns.sourceFields.map { SiteField.sourcePrefix + $0 }
        self.extraNames = extraNames
        extraKinds = Array(repeating: nil, count: extraNames.count)
        partial = try PartialFile(destination: path)
        sidePartial = try PartialFile(destination: path + ".extra")
        copy = try SiteStore.create(at: partial.path, force: true)
        if extraNames.isEmpty {
            side = nil
        } else {
            let sidePath = sidePartial.path
            side = try Self.database(path) {
                let queue = try DatabaseQueue(path: sidePath)
                let names = (["uuid"] + extraNames).map(Self.quoted).joined(separator: ", ")
                try queue.write { db in try db.execute(sql: "CREATE TABLE extra (\(names))") }
                return queue
            }
        }
    }

    public func write(_ record: OutputRecord) throws {
        guard let site = record.site else {
            throw ExportError.unsupportedTarget(format: "gpkg", reason: "writes store sites, not plain features")
        }
        let stored = site.safeguardedCopy(geometry: record.geometry, treatment: record.treatment, policy: policy)
        batch.append(stored)
        if side != nil {
            var values: [DatabaseValue] = [stored.id.text.databaseValue]
            for k in 0..<columns.figureCount { values.append(value(record.cells[k], column: k)) }
            var sourceValues = [DatabaseValue](repeating: .null, count: columns.sourceFields.count)
            for member in record.source?.members ?? [] {
                guard let k = columns.sourceIndex[member.key] else { continue }
                sourceValues[k] = value(OutputBytes.property(member.value), column: columns.figureCount + k)
            }
            extras.append(values + sourceValues)
        }
        if batch.count >= batchSize { try flush() }
    }

    /// The cell as a database value, widening the column's kind to hold it.
    private func value(_ cell: PropertyValue?, column: Int) -> DatabaseValue {
        let kind: Kind?
        let value: DatabaseValue
        switch cell {
        case nil, .null?: return .null
        case let .bool(b)?: (kind, value) = (.boolean, (b ? 1 : 0).databaseValue)
        case let .int(i)?: (kind, value) = (.integer, i.databaseValue)
        case let .double(d)?: (kind, value) = (.real, d.isFinite ? d.databaseValue : .null)
        case let .string(s)?: (kind, value) = (.text, s.databaseValue)
        }
        if let kind { extraKinds[column] = max(extraKinds[column] ?? kind, kind) }
        return value
    }

    private func flush() throws {
        let label = "export for the \(policy.audience) audience"
        if !batch.isEmpty || written == 0 { try Self.database(path) { _ = try copy.insertBatch(batch, label: label) } }
        written += batch.count
        batch.removeAll(keepingCapacity: true)
        if let side, !extras.isEmpty {
            let rows = extras
            try Self.database(path) {
                try side.write { db in
                    let marks = Array(repeating: "?", count: extraNames.count + 1).joined(separator: ", ")
                    let statement = try db.makeStatement(sql: "INSERT INTO extra VALUES (\(marks))")
                    for row in rows { try statement.execute(arguments: StatementArguments(row)) }
                }
            }
        }
        extras.removeAll(keepingCapacity: true)
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        do {
            try flush()
            try Self.database(path) { try copy.close() }
        } catch {
            try? copy.close()
            throw error
        }
        let sidePath = sidePartial.path
        try Self.database(path) {
            try side?.close()
            let queue = try DatabaseQueue(path: partial.path)
            try queue.writeWithoutTransaction { db in
                if side != nil {
                    try db.execute(sql: "ATTACH DATABASE ? AS side", arguments: [sidePath])
                    try db.inTransaction {
                        for (name, kind) in zip(extraNames, extraKinds) {
                            try db.execute(sql: "ALTER TABLE sites ADD COLUMN \(Self.quoted(name)) \((kind ?? .text).sqlType)")
                        }
                        // The GeoPackage R*Tree triggers that fire on any update call ST_ functions
                        // only the store registers; the extra columns touch no geometry, so every
                        // trigger on `sites` is set aside for this one statement and put back as it was.
                        let triggers = try Row.fetchAll(db, sql: """
                            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sites'
                            """).compactMap { row -> (String, String)? in
                            guard let name: String = row["name"], let sql: String = row["sql"] else { return nil }
                            return (name, sql)
                        }
                        for (name, _) in triggers { try db.execute(sql: "DROP TRIGGER \(Self.quoted(name))") }
                        let targets = extraNames.map(Self.quoted).joined(separator: ", ")
                        let sources = extraNames.map { "e." + Self.quoted($0) }.joined(separator: ", ")
                        try db.execute(sql: """
                            UPDATE sites SET (\(targets)) = (SELECT \(sources) FROM side.extra e WHERE e.uuid = sites.uuid)
                            """)
                        for (_, sql) in triggers { try db.execute(sql: sql) }
                        return .commit
                    }
                    try db.execute(sql: "DETACH DATABASE side")
                }
                let publication = policy.audience != .internal
                if publication {
                    try db.execute(sql: "PRAGMA foreign_keys = OFF")
                    try db.inTransaction {
                        try Self.publish(db, cellSize: policy.cellSize)
                        return .commit
                    }
                }
                // Fold the write-ahead log into the file and leave WAL mode, so that the one file
                // is the whole GeoPackage (and its SHA-256 in a manifest stays true).
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                if publication { try db.execute(sql: "VACUUM") }
            }
            try queue.close()
        }
        sidePartial.discard()
        try partial.commit()
        return [path]
    }

    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs `body`, turning SQLite's failures (GRDB's, or the store's while it writes the copy,
    /// see `SQLiteFailure`) into `ExportError` for `path`, the output's own name and never its
    /// hidden partial one: a full disk as `io` "the disk is full", anything else as `database`.
    static func database<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            switch SQLiteFailure(error) {
            case .diskFull?: throw ExportError.io(path: path, reason: "the disk is full")
            case let .other(message)?: throw ExportError.database(path: path, reason: message)
            case nil: throw error
            }
        }
    }
}

extension OutputFormat {
    /// A GeoPackage (a GraveAtlas store) holding what the audience sees.
    public static let gpkg = OutputFormat(
        name: "gpkg", summary: "a GeoPackage: the shown sites as a store, figures and source:FIELD as columns",
        fileExtension: "gpkg", mediaType: "application/geopackage+sqlite3", fileOnly: true, make: GeoPackageRowWriter.init)
}
