import CShapelib
import Foundation
import Geometry

/// Reads a shapefile (`.shp` with `.shx`, `.dbf`, `.prj`, `.cpg`, `.cst` beside it) through
/// shapelib, one record at a time.
///
/// ```swift
/// let source = try ShapefileSource(url: URL(fileURLWithPath: "fosas.shp"))
/// source.encoding        // CP1256 (from .cpg)
/// source.crsDefinition   // the .prj's ESRI WKT
/// while let record = try source.next() { … }
/// ```
/// Edge cases:
/// - extensions in any case; a missing `.shx` is rebuilt from the `.shp` in a private folder
///   (a file note says so);
/// - a `.shp` shorter than its header says, or a record beyond the end of the file, is
///   `ImportError.truncated`;
/// - null and empty shapes are records with no geometry and a `skipped` note;
/// - a `.dbf` with fewer records than the `.shp`: the shapes without attributes are skipped
///   with a note; no `.dbf` at all: records have no attributes (file note);
/// - Z and M are dropped (file note).
/// The encoding is `--encoding`, else `.cpg`, else `.cst`, else the DBF language driver, else
/// UTF-8 when valid and Windows-1252 otherwise (reported per field).
public final class ShapefileSource: FeatureSource {
    public let displayName: String
    public let layerName: String
    public let crsDefinition: String?
    public let encoding: DeclaredEncoding?
    public private(set) var fileNotes: [String] = []
    public var fieldNames: [String]? { table?.fields.map(\.name) ?? [] }
    public var expectedCount: Int? { shapeCount }

    private let staging: ShapefileStaging
    private let handle: SHPHandle
    private let table: DBFTable?
    private let shapeCount: Int
    private let fileSize: UInt64
    private var index = 0

    /// - Parameters:
    ///   - url: the `.shp` file.
    ///   - encoding: an encoding that overrides whatever the files declare (`--encoding`).
    ///   - displayName: how messages name the file (defaults to its path).
    ///   - siblings: the names of the files beside it, when known (else its folder is listed).
    public init(url: URL, encoding override: String? = nil, displayName: String? = nil, siblings: [String]? = nil) throws {
        let name = displayName ?? url.path
        let parts = try ShapefileParts(shp: url, siblings: siblings, name: name)
        self.displayName = name
        layerName = parts.layerName
        crsDefinition = ShapefileParts.sidecarText(parts.prj)
        fileSize = try ShapefileSource.checkHeader(of: parts.shp, name: name)
        staging = try ShapefileStaging(parts, name: name)

        var hooks = ShapelibErrors.hooks()
        _ = ShapelibErrors.take()
        var notes: [String] = []
        let opened: SHPHandle?
        if parts.shx == nil {
            try ShapefileSource.checkIndexCanBeRebuilt(parts.shp, name: name)
            opened = SHPOpenLLEx(staging.basePath, "rb", &hooks, 1)
            notes.append("no .shx index beside the .shp: rebuilt it from the .shp")
        } else {
            opened = SHPOpenLL(staging.basePath, "rb", &hooks)
        }
        guard let opened else {
            let reason = ShapelibErrors.take() ?? "shapelib cannot open it"
            if reason.contains(".shx") || reason.lowercased().contains("shx") {
                throw ImportError.truncated(file: name, reason: "the .shx index is damaged: \(reason)")
            }
            throw ImportError.malformed(file: name, record: nil, reason: reason)
        }
        handle = opened
        SHPSetFastModeReadObject(handle, 1)
        var count: Int32 = 0, type: Int32 = 0
        SHPGetInfo(handle, &count, &type, nil, nil)
        shapeCount = Int(count)
        if ShapeConversion.hasZOrM(type) {
            notes.append("Z and M values dropped (shape type \(ShapeConversion.typeName(type)))")
        }

        let declared = try ShapefileSource.encoding(override: override, parts: parts, name: name)
        encoding = declared
        if let dbf = parts.dbf {
            let decoder = try TextDecoder(encoding: declared.origin == .none ? nil : declared.name)
            do {
                table = try DBFTable(path: staging.basePath + ".dbf", decoder: decoder,
                                     file: ShapefileSource.partName(dbf, of: parts.shp, named: name))
            } catch {
                SHPClose(handle)
                throw error
            }
            if let table, table.recordCount < shapeCount {
                notes.append("the .dbf has \(table.recordCount) records but the .shp has \(shapeCount) shapes: "
                    + "shapes \(table.recordCount + 1)–\(shapeCount) have no attributes and are skipped")
            } else if let table, table.recordCount > shapeCount {
                notes.append("the .dbf has \(table.recordCount) records but the .shp only \(shapeCount) shapes: "
                    + "the extra records are ignored")
            }
            if let table, !table.fallbackFieldNames.isEmpty {
                notes.append("field names not UTF-8, decoded as windows-1252: "
                    + table.fallbackFieldNames.joined(separator: ", "))
            }
        } else {
            table = nil
            notes.append("no .dbf beside the .shp: records have no attributes")
        }
        fileNotes = notes
    }

    deinit { SHPClose(handle) }

    public func next() throws -> ImportedRecord? {
        guard index < shapeCount else { return nil }
        let i = index
        index += 1
        let number = i + 1
        var notes: [RecordNote] = []
        var attributes: [Attribute] = []
        if let table {
            if i < table.recordCount {
                (attributes, notes) = try table.record(i)
            } else {
                notes.append(.skipped("no attributes: the .dbf has only \(table.recordCount) records"))
            }
        }
        try checkRecordBounds(i)
        _ = ShapelibErrors.take()
        guard let shape = SHPReadObject(handle, Int32(i)) else {
            let reason = ShapelibErrors.take() ?? "shapelib cannot read it"
            throw ImportError.malformed(file: displayName, record: number, reason: reason)
        }
        defer { SHPDestroyObject(shape) }
        var geometry: Geometry?
        switch ShapeConversion.geometry(of: shape) {
        case let .success(g, remarks):
            geometry = g
            notes += remarks.map(RecordNote.remark)
        case let .failure(reason):
            notes.append(.skipped(reason))
        }
        return ImportedRecord(recordNumber: number, geometry: geometry, attributes: attributes, notes: notes)
    }

    /// A record whose bytes lie past the end of the `.shp` means the file was cut short.
    private func checkRecordBounds(_ i: Int) throws {
        let info = handle.pointee
        guard let offsets = info.panRecOffset, let sizes = info.panRecSize else { return }
        let start = UInt64(offsets[i]), size = UInt64(sizes[i])
        if size > 0, start + 8 + size > fileSize {
            throw ImportError.truncated(
                file: displayName,
                reason: "record \(i + 1) lies at bytes \(start)–\(start + 8 + size) but the .shp has only \(fileSize) bytes")
        }
    }

    /// Checks the `.shp` header and returns the file's size.
    ///
    /// - Throws: `truncated` when the file is shorter than its header says, `malformed` when it
    ///   is not a shapefile.
    static func checkHeader(of url: URL, name: String) throws -> UInt64 {
        guard let file = try? FileHandle(forReadingFrom: url) else {
            throw ImportError.unreadable(file: name, reason: "cannot open the .shp")
        }
        defer { try? file.close() }
        let size = (try? file.seekToEnd()) ?? 0
        try? file.seek(toOffset: 0)
        let header = [UInt8]((try? file.read(upToCount: 100)) ?? Data())
        guard header.count == 100 else {
            throw ImportError.truncated(file: name, reason: "the .shp has \(size) bytes, less than its 100-byte header")
        }
        func bigEndian(_ at: Int) -> UInt32 {
            header[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard bigEndian(0) == 9994 else {
            throw ImportError.malformed(file: name, record: nil, reason: "not a shapefile (file code \(bigEndian(0)), expected 9994)")
        }
        let declared = UInt64(bigEndian(24)) * 2
        if size < declared {
            throw ImportError.truncated(file: name, reason: "the .shp header says \(declared) bytes but the file has \(size)")
        }
        return size
    }

    /// How messages name a part of the shapefile: the `.shp`'s display name with the part's
    /// extension, so that a part extracted from a zip is named inside the zip
    /// (`shapes.zip/data/iran.dbf`), never by its temporary path.
    static func partName(_ part: URL, of shp: URL, named shpName: String) -> String {
        if shpName == shp.path { return part.path }
        let stem = shpName.lowercased().hasSuffix(".shp") ? String(shpName.dropLast(4)) : shpName
        return stem + "." + part.pathExtension
    }

    /// The encoding to decode the `.dbf`'s text with, and where that choice came from.
    static func encoding(override: String?, parts: ShapefileParts, name shpName: String) throws -> DeclaredEncoding {
        let name = parts.dbf.map { partName($0, of: parts.shp, named: shpName) } ?? shpName
        func checked(_ raw: String, _ origin: DeclaredEncoding.Origin) throws -> DeclaredEncoding? {
            guard let normalised = EncodingName.normalised(raw) else { return nil }
            do {
                _ = try TextDecoder(encoding: normalised)
            } catch {
                throw ImportError.unknownEncoding(name: raw, file: origin == .option ? nil : name)
            }
            return DeclaredEncoding(name: normalised, origin: origin)
        }
        if let override, let e = try checked(override, .option) { return e }
        if let cpg = ShapefileParts.sidecarText(parts.cpg), let e = try checked(cpg, .cpg) { return e }
        if let cst = ShapefileParts.sidecarText(parts.cst), let e = try checked(cst, .cst) { return e }
        if let dbf = parts.dbf, let ldid = EncodingName.languageDriver(DBFTable.languageDriver(at: dbf)) {
            return DeclaredEncoding(name: ldid, origin: .languageDriver)
        }
        return DeclaredEncoding(name: "UTF-8", origin: .none)
    }
}
