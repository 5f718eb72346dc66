/// A JSON parser over UTF-8 bytes (RFC 8259): strict grammar, escapes with surrogate pairs,
/// strict UTF-8, nesting capped, errors with the byte offset.
struct JSONParser {
    /// Arrays and objects nested deeper than this are rejected.
    static let maximumDepth = 512

    let b: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    func failure(_ reason: String, at position: Int? = nil) -> GeometryError {
        .invalidJSON(offset: position ?? i, reason: reason)
    }

    /// What stands at the current byte, for messages.
    var found: String { b.describedByte(at: i) }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    /// One whole document: an optional UTF-8 byte-order mark, one value, whitespace.
    mutating func document() throws(GeometryError) -> JSONValue {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        let v = try value(depth: 0)
        skipWhitespace()
        guard i == b.count else { throw failure("unexpected \(found) after the JSON value") }
        return v
    }

    mutating func value(depth: Int) throws(GeometryError) -> JSONValue {
        skipWhitespace()
        guard i < b.count else { throw failure("expected a value but found end of input") }
        switch b[i] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try array(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("expected a value but found \(found)")
        }
    }

    mutating func literal(_ word: StaticString) throws(GeometryError) {
        let start = i
        let count = word.utf8CodeUnitCount
        guard b.count - i >= count else { throw failure("expected '\(word)'", at: start) }
        for k in 0..<count where b[i + k] != word.utf8Start[k] {
            throw failure("expected '\(word)'", at: start)
        }
        i += count
    }

    mutating func number() throws(GeometryError) -> Double {
        let start = i
        let scanned: (value: Double, end: Int)
        do {
            scanned = try NumberText.scan(b, at: i, strictJSON: true)
        } catch {
            throw failure(error.reason, at: error.offset)
        }
        guard scanned.value.isFinite else { throw failure("number out of range", at: start) }
        i = scanned.end
        return scanned.value
    }

    mutating func array(depth: Int) throws(GeometryError) -> [JSONValue] {
        guard depth <= Self.maximumDepth else { throw failure("arrays and objects nested more than \(Self.maximumDepth) deep") }
        i += 1
        var out: [JSONValue] = []
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return out
        }
        repeat {
            out.append(try value(depth: depth))
        } while try !endOfList(UInt8(ascii: "]"))
        return out
    }

    mutating func object(depth: Int) throws(GeometryError) -> JSONObject {
        guard depth <= Self.maximumDepth else { throw failure("arrays and objects nested more than \(Self.maximumDepth) deep") }
        i += 1
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else {
                throw failure("expected a string key but found \(found)")
            }
            let key = try string()
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw failure("expected ':' but found \(found)") }
            i += 1
            members.append(JSONObject.Member(key, try value(depth: depth)))
            if try endOfList(UInt8(ascii: "}")) { return JSONObject(members) }
        }
    }

    /// After an array element or object member: consumes a `,` (false: another follows) or
    /// `close` (true: the list ends), and refuses anything else.
    mutating func endOfList(_ close: UInt8) throws(GeometryError) -> Bool {
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: ",") {
            i += 1
            return false
        }
        guard i < b.count, b[i] == close else {
            throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))' but found \(found)")
        }
        i += 1
        return true
    }

    /// A string starting at the opening quote. Strings without escapes are decoded straight
    /// from the input.
    mutating func string() throws(GeometryError) -> String {
        let open = i
        i += 1
        let start = i
        var ascii = true
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: b[start..<i])
                if !ascii, let bad = UTF8Validation.firstInvalidIndex(slice) {
                    throw failure("invalid UTF-8 in string", at: start + bad)
                }
                i += 1
                return String(decoding: slice, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if c < 0x20 { throw failure("control character 0x\(String(c, radix: 16)) must be escaped in a string") }
            if c >= 0x80 { ascii = false }
            i += 1
        }
        throw failure("unterminated string", at: open)
    }

    /// The slow path: a string with escapes, collected into a byte buffer.
    mutating func escapedString(from start: Int) throws(GeometryError) -> String {
        var out: [UInt8] = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                let bad = out.withUnsafeBufferPointer { UTF8Validation.firstInvalidIndex($0) }
                if bad != nil { throw failure("invalid UTF-8 in string", at: start) }
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw failure("control character 0x\(String(c, radix: 16)) must be escaped in a string") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            let escapeStart = i
            guard i + 1 < b.count else { throw failure("unterminated escape") }
            i += 2
            switch b[i - 1] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard b.count - i >= 6, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        throw failure("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw failure("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                }
                guard let valid = Unicode.Scalar(scalar), let encoded = UTF8.encode(valid) else {
                    throw failure("invalid code point", at: escapeStart)
                }
                out.append(contentsOf: encoded)
            default:
                throw failure("invalid escape '\\\(Character(Unicode.Scalar(b[i - 1])))'", at: escapeStart)
            }
        }
        throw failure("unterminated string", at: start - 1)
    }

    mutating func hex4() throws(GeometryError) -> UInt32 {
        guard b.count - i >= 4 else { throw failure("expected 4 hex digits after \\u") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw failure("expected 4 hex digits after \\u", at: i + k)
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }
}

extension JSONValue {
    /// Parses JSON text (RFC 8259).
    ///
    /// ```swift
    /// let v = try JSONValue(parsing: #"{"a": [1, 2.5e-3, "\u00e9\ud83d\ude00"]}"#)
    /// ```
    /// - Throws: `GeometryError.invalidJSON(offset:reason:)` with the byte offset: bad syntax,
    ///   trailing text, invalid escapes or unpaired surrogates, invalid UTF-8, control
    ///   characters in strings, numbers out of range, nesting deeper than 512.
    /// - Complexity: O(n).
    public init(parsing text: String) throws(GeometryError) {
        self = try text.withParsedUTF8 { bytes throws(GeometryError) in
            var parser = JSONParser(bytes)
            return try parser.document()
        }
    }

    /// Parses JSON from UTF-8 bytes (`[UInt8]`, `Data`, a slice …), copying them only when they
    /// are not contiguous.
    public init(parsing bytes: some Collection<UInt8>) throws(GeometryError) {
        let parse = { (buffer: UnsafeBufferPointer<UInt8>) in
            Result { () throws(GeometryError) in
                var parser = JSONParser(buffer)
                return try parser.document()
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable(parse) {
            self = try result.get()
        } else {
            self = try Array(bytes).withUnsafeBufferPointer(parse).get()
        }
    }
}
