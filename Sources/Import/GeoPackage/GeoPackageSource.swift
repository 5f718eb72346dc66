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
    private let layer: GeoPackageLayer
    private let keyColumn: String
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
    public static func layers(of url: URL, only layer: String? = nil, displayName: String? = nil) throws -> [GeoPackageSource] {
        let name = displayName ?? url.path
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        let layers: [GeoPackageLayer]
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
            layers = try GeoPackageLayers.list(in: queue)
        } catch {
            throw ImportError.malformed(file: name, record: nil, reason: "not a readable GeoPackage: \(error)")
        }
        let chosen = layer.map { wanted in layers.filter { $0.table == wanted } } ?? layers
        if let layer, chosen.isEmpty {
            throw ImportError.unknownLayer(file: name, layer: layer, available: layers.map(\.table))
        }
        return try chosen.map { try GeoPackageSource(queue: queue, layer: $0, displayName: name) }
    }

    init(queue: DatabaseQueue, layer: GeoPackageLayer, displayName: String) throws {
        self.queue = queue
        self.layer = layer
        self.displayName = displayName
        let quoted = layer.table.quotedDatabaseIdentifier
        do {
            let info = try queue.read { db in
                (try Row.fetchAll(db, sql: "PRAGMA table_info(\(quoted))"),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM \(quoted)"))
            }
            let key = info.0.first { ($0["pk"] as Int? ?? 0) == 1 && (($0["type"] as String?) ?? "").uppercased() == "INTEGER" }
            let keyName: String = key?["name"] ?? "rowid"
            keyColumn = keyName
            columns = info.0.compactMap { row in
                let name: String = row["name"] ?? ""
                guard name != keyName, name != layer.geometryColumn else { return nil }
                return (name, ((row["type"] as String?) ?? "").uppercased())
            }
            expectedCount = info.1
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
        lastKey = row[0] ?? lastKey
        var attributes: [Attribute] = []
        attributes.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            attributes.append(Attribute(column.name, GeoPackageSource.value(row[i + 2] as DatabaseValue, declared: column.type)))
        }
        var notes: [RecordNote] = []
        var geometry: Geometry?
        let blob: [UInt8]? = (row[1] as Data?).map { [UInt8]($0) }
        if let blob {
            do {
                if let decoded = try GeoPackageGeometry.decode(blob) {
                    geometry = decoded.geometry
                    if decoded.hadZ || decoded.hadM { droppedZM = true }
                } else {
                    notes.append(.skipped("empty geometry"))
                }
            } catch {
                notes.append(.skipped("invalid geometry: \(error)"))
            }
        } else {
            notes.append(.skipped("no geometry"))
        }
        return ImportedRecord(recordNumber: count, geometry: geometry, attributes: attributes, notes: notes)
    }

    private func fetchBatch() throws {
        let key = keyColumn == "rowid" ? "rowid" : keyColumn.quotedDatabaseIdentifier
        let selected = ([key, layer.geometryColumn.quotedDatabaseIdentifier] + columns.map(\.name.quotedDatabaseIdentifier))
            .joined(separator: ", ")
        let sql = "SELECT \(selected) FROM \(layer.table.quotedDatabaseIdentifier) WHERE \(key) > ? ORDER BY \(key) LIMIT ?"
        do {
            let after = lastKey
            batch = try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: [after, GeoPackageSource.batchSize]) }
        } catch {
            throw ImportError.malformed(file: displayName, record: count + 1, reason: "cannot read layer \(layer.table): \(error)")
        }
        batchIndex = 0
        if batch.count < GeoPackageSource.batchSize { exhausted = true }
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
