import Foundation
import Geometry

/// Reads GeoJSON — a FeatureCollection, a single Feature, or a newline-delimited / RFC 8142
/// sequence of features — one feature at a time, from a file of any size.
///
/// ```swift
/// let source = try GeoJSONSource(url: URL(fileURLWithPath: "sites.geojson"))
/// while let record = try source.next() { … }
/// source.crsDefinition   // "EPSG:3857" when the file has a legacy "crs" member
/// ```
/// Properties become attributes in their order: strings, numbers (integers when whole and
/// within ±2^53), booleans, null; nested objects and arrays are kept as their JSON text. The
/// feature's `id` is kept as the attribute `id` unless a property already has that name.
/// A feature whose geometry is null or invalid has no geometry and a `skipped` note.
public final class GeoJSONSource: FeatureSource {
    public let displayName: String
    public let layerName: String
    public private(set) var crsDefinition: String?
    public let encoding: DeclaredEncoding? = DeclaredEncoding(name: "UTF-8", origin: .format)
    public private(set) var fileNotes: [String] = []
    public var fieldNames: [String]? { nil }
    public let expectedCount: Int? = nil

    private let file: FileHandle
    private var scanner = GeoJSONScanner()
    private var atEnd = false
    private var count = 0
    static let chunkSize = 1 << 20

    public init(url: URL, displayName: String? = nil) throws {
        self.displayName = displayName ?? url.path
        layerName = url.deletingPathExtension().lastPathComponent
        do {
            file = try FileHandle(forReadingFrom: url)
        } catch {
            throw ImportError.unreadable(file: self.displayName, reason: error.localizedDescription)
        }
    }

    deinit { try? file.close() }

    public func next() throws -> ImportedRecord? {
        while true {
            if let item = scanner.nextItem() {
                switch item {
                case let .collectionHeader(bytes):
                    let header = try parse(bytes, record: nil)
                    crsDefinition = GeoJSONSource.legacyCRS(header["crs"]) ?? crsDefinition
                case let .feature(bytes):
                    count += 1
                    return try record(from: parse(bytes, record: count))
                case let .topLevel(bytes):
                    let value = try parse(bytes, record: count + 1)
                    if let crs = GeoJSONSource.legacyCRS(value["crs"]) { crsDefinition = crs }
                    if value["type"]?.stringValue == "FeatureCollection" {
                        // A collection whose "features" was not an array, or an empty one.
                        continue
                    }
                    count += 1
                    return try record(from: value)
                }
                continue
            }
            if atEnd {
                if scanner.isInsideValue {
                    throw ImportError.truncated(file: displayName, reason: "the JSON ends inside a value after \(count) features")
                }
                return nil
            }
            let chunk = try readChunk()
            if chunk.isEmpty { atEnd = true } else { scanner.feed(chunk) }
        }
    }

    private func readChunk() throws -> Data {
        do {
            return try file.read(upToCount: GeoJSONSource.chunkSize) ?? Data()
        } catch {
            throw ImportError.unreadable(file: displayName, reason: error.localizedDescription)
        }
    }

    private func parse(_ bytes: [UInt8], record: Int?) throws -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw ImportError.malformed(file: displayName, record: record, reason: "\(error)")
        }
    }

    /// A Feature (or a bare geometry) as a record.
    private func record(from value: JSONValue) throws -> ImportedRecord {
        let number = count
        guard case let .object(object) = value else {
            return ImportedRecord(recordNumber: number, geometry: nil, attributes: [],
                                  notes: [.skipped("not a JSON object but \(value.kindName)")])
        }
        let type = object["type"]?.stringValue
        if type != "Feature" {
            // A bare geometry in a sequence.
            do {
                return ImportedRecord(recordNumber: number, geometry: try Geometry(geoJSON: value), attributes: [])
            } catch {
                return ImportedRecord(recordNumber: number, geometry: nil, attributes: [],
                                      notes: [.skipped("not a Feature (type \(type ?? "missing")): \(error)")])
            }
        }
        var attributes: [Attribute] = []
        if case let .object(properties)? = object["properties"] {
            attributes = properties.members.map { Attribute($0.key, GeoJSONSource.attribute($0.value)) }
        }
        if let id = object["id"], !attributes.contains(where: { $0.key == "id" }) {
            attributes.append(Attribute("id", GeoJSONSource.attribute(id)))
        }
        var notes: [RecordNote] = []
        var geometry: Geometry?
        switch object["geometry"] {
        case nil, .null?:
            notes.append(.skipped("no geometry"))
        case let value?:
            do {
                geometry = try Geometry(geoJSON: value)
            } catch {
                notes.append(.skipped("invalid geometry: \(error)"))
            }
        }
        return ImportedRecord(recordNumber: number, geometry: geometry, attributes: attributes, notes: notes)
    }

    static func attribute(_ value: JSONValue) -> AttributeValue {
        switch value {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .string(s): return .string(s)
        case let .number(n):
            if n.rounded() == n, abs(n) <= 9_007_199_254_740_992 { return .integer(Int64(n)) }
            return .double(n)
        case .array, .object: return .string(value.encoded())
        }
    }

    /// The CRS of a legacy (2008) `"crs"` member: `{"type":"name","properties":{"name":…}}`.
    static func legacyCRS(_ value: JSONValue?) -> String? {
        guard let name = value?["properties"]?["name"]?.stringValue else { return nil }
        return CRSName.normalised(name)
    }
}
