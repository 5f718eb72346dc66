import Foundation
import Geometry
import GRDB

/// Reads one feature layer of a GeoPackage, in batches of rows so that memory stays flat.
///
/// ```swift
/// for source in try GeoPackageSource.layers(of: url) {   // every feature layer
///     while let record = try source.next() { … }
/// }
/// let one = try GeoPackageSource.layers(of: url, only: "fosas")
/// ```
/// Attributes are every column but the primary key and the geometry, typed from their
/// SQLite storage and declared type (`DATE`/`DATETIME` → date, `BOOLEAN` → bool). The
/// layer's srs gives the CRS. Z and M are dropped (file note).
public final class GeoPackageSource: FeatureSource {
    public let displayName: String
    public var layerName: String { layer.table }
    public var crsDefinition: String? { layer.crsDefinition }
    public let encoding: DeclaredEncoding? = DeclaredEncoding(name: "UTF-8", origin: .format)
    public var fileNotes: [String] {
        droppedZM ? ["Z and M values dropped in layer \(layer.table)"] : []
    }
    public var fieldNames: [String]? { columns.map(\.name) }
    public let expectedCount: Int?

    private let queue: DatabaseQueue
    private let limit: GeoPackageReadLimit
    private let layer: GeoPackageLayer
    private let keyColumn: String
    /// A view has no rowid: without an integer key column it is read by offset.
    private let pagedByOffset: Bool
    private let columns: [(name: String, type: String)]
    private var batch: [Row] = []
    private var batchIndex = 0
    private var lastKey: Int64 = .min
    private var exhausted = false
    private var count = 0
    private var droppedZM = false
    static let batchSize = 2000

    /// One source per feature layer (or only `layer`), in table-name order.
    ///
    /// - Throws: `ImportError.unknownLayer` when `only` names no feature layer,
    ///   `ImportError.malformed` when the file is not a GeoPackage.
    public static func layers(of url: URL, only layer: String? = nil, displayName: String? = nil,
                              limits: InputLimits = .standard) throws -> [GeoPackageSource] {
        let name = displayName ?? url.path
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        let layers: [GeoPackageLayer]
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
            layers = try GeoPackageLayers.list(in: GeoPackageReadLimit(
                queue: queue, seconds: limits.maxStatementSeconds, file: name, layer: "gpkg_contents"))
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError.malformed(file: name, record: nil, reason: "not a readable GeoPackage: \(error)")
        }
        let chosen = layer.map { wanted in layers.filter { $0.table == wanted } } ?? layers
        if let layer, chosen.isEmpty {
            throw ImportError.unknownLayer(file: name, layer: layer, available: layers.map(\.table))
        }
        return try chosen.map {
            try GeoPackageSource(queue: queue, layer: $0, displayName: name, seconds: limits.maxStatementSeconds)
        }
    }

    init(queue: DatabaseQueue, layer: GeoPackageLayer, displayName: String, seconds: Double) throws {
        self.queue = queue
        self.layer = layer
        self.displayName = displayName
        limit = GeoPackageReadLimit(queue: queue, seconds: seconds, file: displayName, layer: layer.table)
        let quoted = layer.table.quotedDatabaseIdentifier
        do {
            let info = try limit.read { db in
                (try Row.fetchAll(db, sql: "PRAGMA table_info(\(quoted))"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM \(quoted)"),
                 try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = ?", arguments: [layer.table]))
            }
            let key = info.0.first { ($0["pk"] as Int? ?? 0) == 1 && (($0["type"] as String?) ?? "").uppercased() == "INTEGER" }
            let keyName: String = key?["name"] ?? "rowid"
            keyColumn = keyName
            pagedByOffset = key == nil && info.2 == "view"
            columns = info.0.compactMap { row in
                let name: String = row["name"] ?? ""
                guard name != keyName, name != layer.geometryColumn else { return nil }
                return (name, ((row["type"] as String?) ?? "").uppercased())
            }
            expectedCount = info.1
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError.malformed(file: displayName, record: nil, reason: "cannot read layer \(layer.table): \(error)")
        }
    }

    public func next() throws -> ImportedRecord? {
        if batchIndex == batch.count {
            guard !exhausted else { return nil }
            try fetchBatch()
            if batch.isEmpty { return nil }
        }
        let row = batch[batchIndex]
        batchIndex += 1
        count += 1
        if case let .int64(key) = (row[0] as DatabaseValue).storage { lastKey = key }
        var attributes: [Attribute] = []
        attributes.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            attributes.append(Attribute(column.name, GeoPackageSource.value(row[i + 2] as DatabaseValue, declared: column.type)))
        }
        var notes: [RecordNote] = []
        var geometry: Geometry?
        // Read as a DatabaseValue: converting a non-blob to Data would trap.
        let stored = (row[1] as DatabaseValue).storage
        if case let .blob(data) = stored {
            let blob = [UInt8](data)
            do {
                if let decoded = try GeoPackageBlob.decodeWKB(blob) {
                    geometry = decoded.geometry
                    if decoded.hadZ || decoded.hadM { droppedZM = true }
                } else {
                    notes.append(.skipped("empty geometry"))
                }
            } catch {
                notes.append(.skipped("invalid geometry: \(error)"))
            }
        } else if case .null = stored {
            notes.append(.skipped("no geometry"))
        } else {
            notes.append(.skipped("invalid geometry: column \(layer.geometryColumn) holds \(GeoPackageSource.kind(of: stored)), "
                + "not a GeoPackage geometry blob"))
        }
        return ImportedRecord(recordNumber: count, geometry: geometry, attributes: attributes, notes: notes)
    }

    private func fetchBatch() throws {
        let key = keyColumn == "rowid" ? "rowid" : keyColumn.quotedDatabaseIdentifier
        let values = ([layer.geometryColumn.quotedDatabaseIdentifier] + columns.map(\.name.quotedDatabaseIdentifier))
            .joined(separator: ", ")
        let table = layer.table.quotedDatabaseIdentifier
        let sql = pagedByOffset
            ? "SELECT NULL, \(values) FROM \(table) LIMIT ? OFFSET ?"
            : "SELECT \(key), \(values) FROM \(table) WHERE \(key) > ? ORDER BY \(key) LIMIT ?"
        do {
            let after = pagedByOffset ? Int64(count) : lastKey
            batch = try limit.read(record: count + 1) { db in
                try Row.fetchAll(db, sql: sql, arguments: pagedByOffset
                    ? [GeoPackageSource.batchSize, after] : [after, GeoPackageSource.batchSize])
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError.malformed(file: displayName, record: count + 1, reason: "cannot read layer \(layer.table): \(error)")
        }
        batchIndex = 0
        if batch.count < GeoPackageSource.batchSize { exhausted = true }
        // Batches go by key; a key that is not an increasing integer would read one batch forever.
        if let last = batch.last, !pagedByOffset {
            guard case let .int64(key) = (last[0] as DatabaseValue).storage, key > lastKey else {
                throw ImportError.malformed(file: displayName, record: count + batch.count,
                                            reason: "layer \(layer.table): key column \(keyColumn) holds a value that is not an integer")
            }
        }
    }

    /// How a message names what a stored value is.
    static func kind(of storage: DatabaseValue.Storage) -> String {
        switch storage {
        case .null: "null"
        case .int64: "an integer"
        case .double: "a real number"
        case .string: "text"
        case .blob: "a blob"
        }
    }

    static func value(_ value: DatabaseValue, declared: String) -> AttributeValue {
        switch value.storage {
        case .null: return .null
        case let .int64(i):
            return declared.hasPrefix("BOOL") ? .bool(i != 0) : .integer(i)
        case let .double(d): return .double(d)
        case let .string(s):
            return declared == "DATE" || declared == "DATETIME" ? .date(s) : .string(s)
        case let .blob(data): return .string(data.base64EncodedString())
        }
    }
}
