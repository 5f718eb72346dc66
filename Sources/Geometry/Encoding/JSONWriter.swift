/// Writes compact JSON into a byte buffer.
struct JSONWriter {
    var out: [UInt8] = []

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(v): out.append(contentsOf: (v ? "true" : "false").utf8)
        case let .number(n): number(n)
        case let .string(s): string(s)
        case let .array(a):
            out.append(UInt8(ascii: "["))
            for (k, v) in a.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                write(v)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(o):
            out.append(UInt8(ascii: "{"))
            for (k, m) in o.members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                string(m.key)
                out.append(UInt8(ascii: ":"))
                write(m.value)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Shortest round-trip text; NaN and infinities, which JSON cannot hold, become `null`.
    mutating func number(_ n: Double) {
        if n.isFinite {
            NumberText.appendShortest(n, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A quoted string: `"` and `\` escaped, control characters as `\n`, `\t` … or `\u00XX`;
    /// everything else, including non-ASCII, as UTF-8.
    mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (k, c) in bytes.enumerated() where c < 0x20 || c == 0x22 || c == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k]))
                runStart = k + 1
                out.append(UInt8(ascii: "\\"))
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(Self.hexDigits[Int(c >> 4)])
                    out.append(Self.hexDigits[Int(c & 15)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact JSON text: no whitespace, members in order, numbers in shortest round-trip form
    /// (integers without `.0`), non-ASCII characters as UTF-8, non-finite numbers as `null`.
    ///
    /// ```swift
    /// JSONValue.array([1, 2.5, "a\"b"]).encoded()   // [1,2.5,"a\"b"]
    /// ```
    /// - Complexity: O(n).
    public func encoded() -> String {
        String(decoding: encodedBytes(), as: UTF8.self)
    }

    /// `encoded()` as UTF-8 bytes.
    public func encodedBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.out
    }

    /// Appends the compact JSON text to `out`.
    public func appendEncoded(to out: inout [UInt8]) {
        var writer = JSONWriter(out: out)
        out = []
        writer.write(self)
        out = writer.out
    }
}
