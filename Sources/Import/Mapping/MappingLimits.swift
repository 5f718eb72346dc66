import Foundation

/// Reads a mapping file within bounds the YAML and JSON parsers do not keep: a size, a
/// nesting depth (deep nesting overflows the parser's stack), and no anchors or aliases
/// (aliases that refer to aliases expand exponentially: "billion laughs").
///
/// ```swift
/// let data = try MappingLimits.read(URL(fileURLWithPath: "spain.yaml"), file: "spain.yaml")
/// // "[[[[…" 5,000 deep: ImportError.invalidMapping "spain.yaml: invalid mapping: line 1: nested
/// // more than 32 levels deep"
/// ```
/// A mapping needs three levels (`values: {status: {CONFIRMADA: confirmed}}`) and no
/// aliases, so the limits cost real files nothing. The check is a lexical scan that follows
/// quotes, comments, flow brackets, indentation and `- ` sequence entries; it bounds what the
/// parser will build, it does not replace the parser.
/// - Complexity: O(n) in the file's bytes.
enum MappingLimits {
    static let maxBytes = 1 << 20
    static let maxDepth = 32

    /// The file's bytes, once it is known to be a regular file within the limits.
    /// - Throws: `ImportError.unreadable` for a missing file or one that is not a regular
    ///   file; `ImportError.invalidMapping` naming the line for a limit passed.
    static func read(_ url: URL, file: String) throws -> Data {
        try RegularFile.check(url, name: file)
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw ImportError.unreadable(file: file, reason: "cannot read the mapping file")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard data.count <= maxBytes else {
            throw ImportError.invalidMapping(file: file, reason: "the file is larger than \(maxBytes) bytes")
        }
        try check([UInt8](data), file: file)
        return data
    }

    /// - Throws: `ImportError.invalidMapping` at the first line nested past `maxDepth` or
    ///   holding an anchor (`&a`) or alias (`*a`).
    static func check(_ bytes: [UInt8], file: String) throws {
        func fail(_ line: Int, _ reason: String) -> ImportError {
            .invalidMapping(file: file, reason: "line \(line): \(reason)")
        }
        var indents: [Int] = []        // block indentation levels open above this line
        var flow = 0                   // open [ and {
        var quote: UInt8?              // the quote a string is open in
        var line = 1
        var index = 0
        let n = bytes.count
        while index < n {
            var base = indents.count
            var tokenStart = true
            if quote == nil && flow == 0 {
                var indent = 0
                while index < n, bytes[index] == 0x20 { indent += 1; index += 1 }
                let blank = index >= n || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == UInt8(ascii: "#")
                if !blank {
                    while let top = indents.last, top >= indent { indents.removeLast() }
                    indents.append(indent)
                    base = indents.count
                    // "- - - x" opens one sequence per dash on one line.
                    while index + 1 < n, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "?"),
                          bytes[index + 1] == 0x20 {
                        base += 1
                        index += 2
                        while index < n, bytes[index] == 0x20 { index += 1 }
                    }
                    if base > maxDepth { throw fail(line, "nested more than \(maxDepth) levels deep") }
                }
            }
            var previous: UInt8 = 0x20
            while index < n, bytes[index] != 0x0A {
                let b = bytes[index]
                index += 1
                if let open = quote {
                    if open == UInt8(ascii: "\""), b == UInt8(ascii: "\\") { index += 1; continue }
                    if b == open { quote = nil; tokenStart = false }
                    continue
                }
                switch b {
                case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09:
                    while index < n, bytes[index] != 0x0A { index += 1 }
                case UInt8(ascii: "\"") where tokenStart, UInt8(ascii: "'") where tokenStart:
                    quote = b
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flow += 1
                    if base + flow > maxDepth { throw fail(line, "nested more than \(maxDepth) levels deep") }
                    tokenStart = true
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flow = max(0, flow - 1)
                    tokenStart = false
                case UInt8(ascii: ","):
                    tokenStart = flow > 0 || tokenStart
                case UInt8(ascii: ":"):
                    // A value starts after ": " (or after ":" in flow); "a:*b" is plain text.
                    tokenStart = flow > 0 || index >= n || [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index])
                case UInt8(ascii: "&") where tokenStart, UInt8(ascii: "*") where tokenStart:
                    throw fail(line, "anchors and aliases (\(b == UInt8(ascii: "&") ? "&" : "*")name) are not allowed in a mapping")
                case UInt8(ascii: "-") where tokenStart && (index >= n || bytes[index] == 0x20):
                    break
                case 0x20, 0x09, 0x0D:
                    break
                default:
                    tokenStart = false
                }
                previous = b
            }
            index += 1
            line += 1
        }
    }
}
