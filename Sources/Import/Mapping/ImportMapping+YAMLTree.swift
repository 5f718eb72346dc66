import Foundation
import Yams

extension ImportMapping {
    /// A key of a YAML mapping that is a list or a mapping, not a plain name.
    struct NonScalarKey: Error {}

    /// The tree of a composed YAML document as `parse` reads it: mappings as `[String: Any]`,
    /// sequences as `[Any]`, every scalar as the text written (a plain `~`, `null` or empty
    /// value as `NSNull`).
    ///
    /// ```swift
    /// try ImportMapping.plainTree(try Yams.compose(yaml: "key: FOSA_ID\nset: {period: 1936-1939}"))
    /// // ["key": "FOSA_ID", "set": ["period": "1936-1939"]]
    /// ```
    /// Yams's own typing of scalars (`Yams.load`) is not used: it stops the process on
    /// hostile values, a key that is a mapping (`? ? `) or a YAML 1.1 base-60 number too large
    /// for an Int (`1000000000143127581:2`), both found by fuzzing. A mapping needs text only
    /// (field names, values, dates), and text as written is what a user means by `1:30` or
    /// `0x1F`.
    /// - Throws: `NonScalarKey` for a key that is a list or a mapping.
    /// - Complexity: O(n) in the nodes (the depth is bounded by `MappingLimits`).
    static func plainTree(_ node: Node?) throws -> Any? {
        switch node {
        case .none: return nil
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return NSNull() }
            return scalar.string
        case .sequence(let sequence):
            return try sequence.map { try plainTree($0) ?? NSNull() }
        case .mapping(let mapping):
            var out: [String: Any] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else { throw NonScalarKey() }
                out[name.string] = try plainTree(value) ?? NSNull()
            }
            return out
        }
    }
}
