/// JSON text laid out for people: one member or element a line, two spaces a level, `"key" :
/// value` as Foundation's pretty printing has it, so files written before read the same.
///
/// ```swift
/// var out: [UInt8] = []
/// JSONText.pretty(["b": [1, 2], "a": [:]], to: &out)
/// // {
/// //   "b" : [
/// //     1,
/// //     2
/// //   ],
/// //   "a" : {}
/// // }
/// ```
/// Strings and numbers are written as `value(_:to:)` writes them; members keep their order
/// (sort them beforehand where files are compared byte for byte). Empty arrays and objects
/// are `[]` and `{}`. No newline after the last brace.
/// - Complexity: O(n) in the text written.
extension JSONText {
    public static func pretty<Sink: ByteSink>(_ value: JSONValue, to out: inout Sink) {
        pretty(value, depth: 0, to: &out)
    }

    /// `value` laid out as it is when nested `depth` levels deep (the caller has written what
    /// comes before it on its line): for a value written piece by piece.
    public static func pretty<Sink: ByteSink>(_ value: JSONValue, depth: Int, to out: inout Sink) {
        func newline(_ level: Int) {
            out.append(byte: 0x0A)
            for _ in 0..<level { literal("  ", to: &out) }
        }
        switch value {
        case let .array(a) where !a.isEmpty:
            out.append(byte: UInt8(ascii: "["))
            for k in a.indices {
                if k > 0 { out.append(byte: UInt8(ascii: ",")) }
                newline(depth + 1)
                pretty(a[k], depth: depth + 1, to: &out)
            }
            newline(depth)
            out.append(byte: UInt8(ascii: "]"))
        case let .object(o) where !o.members.isEmpty:
            out.append(byte: UInt8(ascii: "{"))
            for k in o.members.indices {
                if k > 0 { out.append(byte: UInt8(ascii: ",")) }
                newline(depth + 1)
                string(o.members[k].key, to: &out)
                literal(" : ", to: &out)
                pretty(o.members[k].value, depth: depth + 1, to: &out)
            }
            newline(depth)
            out.append(byte: UInt8(ascii: "}"))
        default:
            self.value(value, to: &out)
        }
    }
}

extension JSONValue {
    /// `JSONText.pretty` as a string.
    public func prettyEncoded() -> String {
        var out: [UInt8] = []
        JSONText.pretty(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The value with every object's members sorted by key (UTF-8 byte order), recursively:
    /// the stable order of files compared byte for byte.
    public func sortingKeys() -> JSONValue {
        switch self {
        case let .array(a): .array(a.map { $0.sortingKeys() })
        case let .object(o):
            .object(JSONObject(o.members
                .map { JSONObject.Member($0.key, $0.value.sortingKeys()) }
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }))
        default: self
        }
    }
}
