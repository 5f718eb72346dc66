import Foundation
import Geometry
import ZIPFoundation

/// Reads the Placemarks of a KML file, or of the main KML inside a KMZ archive.
///
/// ```swift
/// let source = try KMLSource(url: URL(fileURLWithPath: "graves.kmz"))
/// while let record = try source.next() { record["name"] … }
/// ```
/// Coordinates are WGS 84 longitude/latitude (KML allows nothing else). Attributes are
/// `name`, `description` and every ExtendedData value, as strings. A placemark without
/// geometry, or whose geometry is malformed, is skipped with the reason.
///
/// The document is parsed whole (Foundation's XML parser reads it in one call), so memory
/// grows with the file, up to `InputLimits.maxKMLBytes`; text that is not valid in its
/// encoding is refused before parsing (`KMLDocumentText`).
public final class KMLSource: FeatureSource {
    public let displayName: String
    public let layerName: String
    public let crsDefinition: String? = "EPSG:4326"
    public let encoding: DeclaredEncoding? = DeclaredEncoding(name: "UTF-8", origin: .format)
    public private(set) var fileNotes: [String] = []
    public var fieldNames: [String]? { nil }
    public var expectedCount: Int? { placemarks.count }

    private let placemarks: [KMLPlacemarkParser.Placemark]
    private var index = 0

    /// - Throws: `ImportError.malformed` for a document that is not well-formed, not valid
    ///   in its encoding, or larger than `limits.maxKMLBytes` (or, in a KMZ, expands past the
    ///   ratio limit).
    public init(url: URL, displayName: String? = nil, limits: InputLimits = .standard) throws {
        let name = displayName ?? url.path
        self.displayName = name
        layerName = url.deletingPathExtension().lastPathComponent
        let data: Data
        if url.pathExtension.lowercased() == "kmz" || KMLSource.isZip(url) {
            (data, fileNotes) = try KMLSource.mainDocument(ofKMZ: url, name: name, limits: limits)
        } else {
            try RegularFile.check(url, name: name)
            let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.uint64Value ?? 0
            guard size <= limits.maxKMLBytes else {
                throw ImportError.malformed(file: name, record: nil,
                                            reason: "the KML document is larger than \(limits.maxKMLBytes) bytes; refused")
            }
            guard let contents = FileManager.default.contents(atPath: url.path) else {
                throw ImportError.unreadable(file: name, reason: "cannot open it")
            }
            data = contents
        }
        do {
            placemarks = try KMLPlacemarkParser.parse(KMLDocumentText.utf8(data, name: name))
        } catch let error as KMLPlacemarkParser.KMLGeometryError {
            throw ImportError.malformed(file: name, record: nil, reason: "not well-formed KML: \(error.reason)")
        }
    }

    public func next() throws -> ImportedRecord? {
        guard index < placemarks.count else { return nil }
        let placemark = placemarks[index]
        index += 1
        var notes: [RecordNote] = []
        var geometry: Geometry?
        switch placemark.geometry {
        case let .success(g)?: geometry = g
        case let .failure(error)?: notes.append(.skipped(error.reason))
        case nil: notes.append(.skipped("no geometry"))
        }
        return ImportedRecord(recordNumber: index, geometry: geometry, attributes: placemark.attributes, notes: notes)
    }

    static func isZip(_ url: URL) -> Bool {
        guard let file = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? file.close() }
        return (try? file.read(upToCount: 4)).map { [UInt8]($0) == [0x50, 0x4B, 0x03, 0x04] } ?? false
    }

    /// `doc.kml` if the archive has it, else its first `.kml` entry.
    static func mainDocument(ofKMZ url: URL, name: String, limits: InputLimits) throws -> (Data, [String]) {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw ImportError.malformed(file: name, record: nil, reason: "not a readable KMZ (zip) archive: \(error)")
        }
        let kmls = archive.filter { $0.type == .file && $0.path.lowercased().hasSuffix(".kml") }
        guard let entry = kmls.first(where: { $0.path.lowercased() == "doc.kml" }) ?? kmls.first else {
            throw ImportError.malformed(file: name, record: nil, reason: "the KMZ holds no .kml document")
        }
        var data = Data()
        let allowed = min(limits.maxKMLBytes, limits.allowedExpansion(ofCompressed: entry.compressedSize))
        let refusal = ImportError.malformed(
            file: "\(name)/\(entry.path)", record: nil,
            reason: allowed == limits.maxKMLBytes
                ? "the KML document is larger than \(limits.maxKMLBytes) bytes; refused"
                : "expands more than \(limits.maxExpansionRatio) times its compressed size "
                    + "(\(entry.compressedSize) bytes); refused as a zip bomb")
        if entry.uncompressedSize > allowed { throw refusal }
        do {
            // Counted as it streams: the sizes in the header may lie.
            _ = try archive.extract(entry) { chunk in
                if UInt64(data.count + chunk.count) > allowed { throw refusal }
                data.append(chunk)
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError.truncated(file: name, reason: "cannot extract \(entry.path): \(error)")
        }
        let notes = kmls.count > 1 ? ["read \(entry.path), the main document of \(kmls.count) KML files in the KMZ"] : []
        return (data, notes)
    }
}
