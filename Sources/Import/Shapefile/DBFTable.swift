import CShapelib
import Foundation

/// The attribute table of a shapefile (`.dbf`), read through shapelib, with typed values and
/// strings decoded by a `TextDecoder`.
///
/// ```swift
/// let table = try DBFTable(path: "layer.dbf", decoder: decoder, file: "fosas.dbf")
/// let (attributes, notes) = try table.record(0)
/// ```
/// Types follow the DBF field type: `C` string, `N`/`F` integer when it has no decimals and
/// fits, else double, `L` bool (`?` is null), `D` date (`YYYYMMDD` → `YYYY-MM-DD`). A value
/// of blanks is null. Numbers are parsed from the stored text, not through `atof`.
final class DBFTable {
    struct Field {
        let name: String
        let type: CChar
        let width: Int
        let decimals: Int
    }

    private let handle: DBFHandle
    let fields: [Field]
    let recordCount: Int
    private let decoder: TextDecoder
    private let file: String
    /// Fields whose name needed the Windows-1252 fallback.
    private(set) var fallbackFieldNames: [String] = []

    init(path: String, decoder: TextDecoder, file: String) throws {
        var hooks = ShapelibErrors.hooks()
        _ = ShapelibErrors.take()
        guard let handle = DBFOpenLL(path, "rb", &hooks) else {
            let reason = ShapelibErrors.take() ?? "not a dBase file"
            throw ImportError.malformed(file: file, record: nil, reason: "cannot open the .dbf: \(reason)")
        }
        self.handle = handle
        self.decoder = decoder
        self.file = file
        recordCount = Int(DBFGetRecordCount(handle))
        var fields: [Field] = []
        var fellBack: [String] = []
        for i in 0..<DBFGetFieldCount(handle) {
            var name = [CChar](repeating: 0, count: 12)
            var width: Int32 = 0, decimals: Int32 = 0
            _ = DBFGetFieldInfo(handle, i, &name, &width, &decimals)
            let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let decoded = decoder.decode(bytes)
            if decoded.fellBack { fellBack.append(decoded.text) }
            fields.append(Field(name: decoded.text, type: DBFGetNativeFieldType(handle, i),
                                width: Int(width), decimals: Int(decimals)))
        }
        self.fields = fields
        self.fallbackFieldNames = fellBack
    }

    deinit { DBFClose(handle) }

    /// The attributes of a 0-based record, and a note for each string that fell back to
    /// Windows-1252.
    ///
    /// - Throws: `ImportError.truncated` when shapelib cannot read the record.
    func record(_ index: Int) throws -> (attributes: [Attribute], notes: [RecordNote]) {
        var attributes: [Attribute] = []
        attributes.reserveCapacity(fields.count)
        var notes: [RecordNote] = []
        for (i, field) in fields.enumerated() {
            let column = Int32(i)
            let row = Int32(index)
            guard let raw = DBFReadStringAttribute(handle, row, column) else {
                let reason = ShapelibErrors.take() ?? "cannot read the record"
                throw ImportError.truncated(file: file, reason: "record \(index + 1): \(reason)")
            }
            if DBFIsAttributeNULL(handle, row, column) != 0 {
                attributes.append(Attribute(field.name, .null))
                continue
            }
            let bytes = UnsafeRawBufferPointer(start: raw, count: strlen(raw)).bindMemory(to: UInt8.self)
            let value: AttributeValue
            switch UInt8(bitPattern: field.type) {
            case UInt8(ascii: "N"), UInt8(ascii: "F"):
                // shapelib trims the padding (TRIM_DBF_WHITESPACE); trim again only if needed.
                var text = String(decoding: bytes, as: UTF8.self)
                if text.first == " " || text.last == " " { text = text.trimmingCharacters(in: .whitespaces) }
                if field.decimals == 0, let integer = Int64(text) {
                    value = .integer(integer)
                } else if let double = Double(text) {
                    value = .double(double)
                } else {
                    value = .null
                }
            case UInt8(ascii: "L"):
                switch bytes.first {
                case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "Y"), UInt8(ascii: "y"): value = .bool(true)
                case UInt8(ascii: "F"), UInt8(ascii: "f"), UInt8(ascii: "N"), UInt8(ascii: "n"): value = .bool(false)
                default: value = .null
                }
            case UInt8(ascii: "D"):
                let text = String(decoding: bytes, as: UTF8.self)
                if text.count == 8, text.allSatisfy(\.isASCII), Int(text) != nil {
                    let y = text.prefix(4), m = text.dropFirst(4).prefix(2), d = text.suffix(2)
                    value = .date("\(y)-\(m)-\(d)")
                } else {
                    value = text.isEmpty ? .null : .string(text)
                }
            default:
                let decoded = decoder.decode(bytes)
                if decoded.fellBack { notes.append(.reencoded(field: field.name, encoding: "windows-1252")) }
                value = .string(decoded.text)
            }
            attributes.append(Attribute(field.name, value))
        }
        return (attributes, notes)
    }

    /// The language-driver id, byte 29 of the DBF header; 0 when absent.
    static func languageDriver(at url: URL) -> UInt8 {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return 0 }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 32), header.count >= 30 else { return 0 }
        return header[header.startIndex + 29]
    }
}
