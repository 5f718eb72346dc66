import Foundation

/// Brings a KML document to valid UTF-8 before the XML parser sees it: Foundation's parser
/// traps (it does not report) on an invalid UTF-8 byte inside an element or attribute name.
///
/// ```swift
/// let text = try KMLDocumentText.utf8(data, name: "graves.kml")
/// // valid UTF-8: unchanged; `encoding="windows-1256"`: transcoded, declaration rewritten;
/// // an invalid byte: ImportError.malformed "graves.kml: line 3: byte 0xFF at offset 57 is not UTF-8 …"
/// ```
/// A document that declares another encoding in its XML declaration (or starts with a UTF-16
/// byte order mark) is transcoded with iconv and its declaration changed to UTF-8. A document
/// in UTF-8 (declared or not) must be valid: the first invalid byte is reported by line and
/// offset.
enum KMLDocumentText {
    static func utf8(_ data: Data, name: String) throws -> Data {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return try transcode(bytes, from: "UTF-16", name: name)
        }
        if let declared = declaredEncoding(bytes), EncodingName.normalised(declared) != "UTF-8",
           !["US-ASCII", "ASCII"].contains(declared.uppercased()) {
            return try transcode(bytes, from: declared, name: name)
        }
        if let offset = firstInvalidUTF8(bytes) {
            throw invalidUTF8(bytes, at: offset, name: name)
        }
        try refuseEntities(bytes, name: name)
        return data
    }

    /// KML needs no DTD; entity declarations are refused so that entities defined in terms of
    /// each other ("billion laughs") never reach the parser.
    static func refuseEntities(_ bytes: [UInt8], name: String) throws {
        let marker = Array("<!ENTITY".utf8)
        guard let found = bytes.firstRange(of: marker) else { return }
        let line = bytes[..<found.lowerBound].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        throw ImportError.malformed(file: name, record: nil,
                                    reason: "line \(line): the document declares XML entities, which KML does not use; refused")
    }

    /// The error for an invalid UTF-8 byte, by line and offset.
    private static func invalidUTF8(_ bytes: [UInt8], at offset: Int, name: String) -> ImportError {
        let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let byte = String(bytes[offset], radix: 16, uppercase: true)
        return .malformed(
            file: name, record: nil,
            reason: "line \(line): byte 0x\(byte) at offset \(offset) is not UTF-8, and the document declares no other encoding")
    }

    /// The `encoding` of the XML declaration, when the document starts with one.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var head = bytes.prefix(256)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        let text = String(decoding: head, as: UTF8.self)
        guard text.hasPrefix("<?xml"), let end = text.range(of: "?>") else { return nil }
        let declaration = text[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    private static func transcode(_ bytes: [UInt8], from encoding: String, name: String) throws -> Data {
        let decoder: TextDecoder
        do {
            decoder = try TextDecoder(encoding: encoding)
        } catch {
            throw ImportError.unknownEncoding(name: encoding, file: name)
        }
        var text = decoder.decode(bytes).text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // The declaration now describes bytes that are UTF-8.
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") {
            text.replaceSubrange(text.startIndex..<end.upperBound, with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        }
        let transcoded = Data(text.utf8)
        try refuseEntities([UInt8](transcoded), name: name)
        return transcoded
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
