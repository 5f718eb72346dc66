extension SearchText {
    /// The folded text `attributesSQL` gives for `json`, made in Swift when the JSON is plain
    /// enough for the two to agree for certain; nil otherwise (the caller then lets SQLite make
    /// it from the JSON).
    ///
    /// ```swift
    /// SearchText.attributesText(#"{"LOCALIDAD_":"Málaga","NUM":4471,"CODIGO":"29067"}"#)   // "Málaga"
    /// SearchText.attributesText(#"{"NOTA":"dijo \"aquí\""}"#)                              // nil: an escape
    /// ```
    /// Plain means strict RFC 8259 JSON nested at most 64 deep whose strings hold no escape
    /// (`\`) and no control character, which is how imports write values without quotes,
    /// backslashes or line breaks: a string's value is then its bytes between the quotes, and
    /// SQLite, which accepts all such JSON, walks it in the same order (`json_tree`). Anything
    /// else, valid or not, is left to SQLite.
    /// - Complexity: O(n) in the JSON's UTF-8 length.
    static func attributesText(_ json: String) -> String? {
        var json = json
        return json.withUTF8 { bytes -> String? in
            var scanner = PlainJSON(bytes: bytes)
            guard let values = scanner.stringValues() else { return nil }
            let words = values.filter { !isNumber($0) }
            guard !words.isEmpty else { return "" }
            return folded(words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))
        }
    }

    private static let numberBytes = Set(numberCharacters.utf8)
    private static let numberScalars = Set(numberCharacters.unicodeScalars)

    /// Whether `value` is made of `numberCharacters` only (as `attributesSQL`'s `trim` tests).
    private static func isNumber(_ value: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        if value.allSatisfy({ $0 < 0x80 }) { return value.allSatisfy(numberBytes.contains) }
        return String(decoding: value, as: UTF8.self).unicodeScalars.allSatisfy(numberScalars.contains)
    }
}

/// A strict scanner of JSON without escapes, collecting its string values (not its keys), in
/// document order. Fails (nil) on anything else.
private struct PlainJSON {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var values: [UnsafeBufferPointer<UInt8>.SubSequence] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func stringValues() -> [UnsafeBufferPointer<UInt8>.SubSequence]? {
        skipSpace()
        guard value(depth: 0) else { return nil }
        skipSpace()
        return i == bytes.count ? values : nil
    }

    private var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
    }

    private mutating func value(depth: Int) -> Bool {
        guard depth <= 64, let b = current else { return false }
        switch b {
        case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), keyed: true, depth: depth)
        case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), keyed: false, depth: depth)
        case UInt8(ascii: "\""):
            guard let s = string() else { return false }
            values.append(s)
            return true
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func container(close: UInt8, keyed: Bool, depth: Int) -> Bool {
        i += 1
        skipSpace()
        if current == close { i += 1; return true }
        while true {
            if keyed {
                guard current == UInt8(ascii: "\""), string() != nil else { return false }
                skipSpace()
                guard current == UInt8(ascii: ":") else { return false }
                i += 1
                skipSpace()
            }
            guard value(depth: depth + 1) else { return false }
            skipSpace()
            if current == UInt8(ascii: ",") {
                i += 1
                skipSpace()
            } else if current == close {
                i += 1
                return true
            } else {
                return false
            }
        }
    }

    /// The bytes between the quotes of a string without escapes or control characters.
    private mutating func string() -> UnsafeBufferPointer<UInt8>.SubSequence? {
        i += 1
        let start = i
        while let b = current, b != UInt8(ascii: "\"") {
            guard b != UInt8(ascii: "\\"), b >= 0x20 else { return nil }
            i += 1
        }
        guard current != nil else { return nil }
        i += 1
        return bytes[start..<(i - 1)]
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return false }
        i += count
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> Bool {
        func digits() -> Int {
            let start = i
            while let b = current, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if current == UInt8(ascii: "-") { i += 1 }
        if current == UInt8(ascii: "0") {
            i += 1
        } else {
            guard let b = current, b >= UInt8(ascii: "1"), b <= UInt8(ascii: "9") else { return false }
            _ = digits()
        }
        if current == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }
}
