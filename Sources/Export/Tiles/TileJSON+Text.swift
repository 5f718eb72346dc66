import Geometry

/// The JSON text of the tile set documents (TileJSON, archive metadata, map style, export
/// manifest): plain Swift values written by Geometry's `JSONText`, keys sorted, so the same
/// tile set always gives the same bytes.
///
/// ```swift
/// try TileJSON.text(["b": 1, "a": ["x", 2.5]])                // {"a":["x",2.5],"b":1}
/// try TileJSON.text(["a": true], pretty: true)                // {\n  "a" : true\n}
/// ```
/// Values may be `String`, `Bool`, any integer type, `Double`, `Float`, arrays and
/// `[String: Any]` dictionaries of them, and `JSONValue`. Non-finite numbers are refused (JSON
/// cannot hold them, and a document with `null` where a bound should be would mislead).
/// - Throws: `ExportError.invalidOption` naming the value that is not JSON.
extension TileJSON {
    static func text(_ object: Any, pretty: Bool = false) throws -> String {
        let value = try json(object, path: "")
        return pretty ? value.prettyEncoded() : value.encoded()
    }

    /// `object` as a JSON value with every object's keys sorted.
    static func json(_ object: Any, path: String) throws -> JSONValue {
        switch object {
        case let v as JSONValue: return v.sortingKeys()
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Int: return .number(Double(v))
        case let v as Int32: return .number(Double(v))
        case let v as Int64: return .number(Double(v))
        case let v as UInt8: return .number(Double(v))
        case let v as Double:
            guard v.isFinite else { throw ExportError.invalidOption("cannot write JSON: \(path) is \(v)") }
            return .number(v)
        case let v as Float:
            guard v.isFinite else { throw ExportError.invalidOption("cannot write JSON: \(path) is \(v)") }
            return .number(Double(v))
        case let v as [String: Any]:
            let members = try v.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
                JSONObject.Member($0.key, try json($0.value, path: path + "." + $0.key))
            }
            return .object(JSONObject(members))
        case let v as [Any]:
            return .array(try v.enumerated().map { try json($0.element, path: "\(path)[\($0.offset)]") })
        default:
            throw ExportError.invalidOption("cannot write JSON: \(path.isEmpty ? "the document" : path) is a \(type(of: object))")
        }
    }
}
