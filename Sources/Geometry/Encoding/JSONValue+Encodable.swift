import Foundation

extension JSONValue {
    /// The JSON value of an `Encodable` (a report, an audit detail), its objects' keys sorted,
    /// so that `JSONText` writes its text like any other value.
    ///
    /// ```swift
    /// struct Count: Encodable { var b = 2, a = "x" }
    /// try JSONValue(encoding: Count()).encoded()   // {"a":"x","b":2}
    /// ```
    /// The structure comes from the type's `encode(to:)` through Foundation's `JSONEncoder`;
    /// only the text is ours. Non-finite numbers are refused, as JSON cannot hold them.
    /// - Throws: `GeometryError.invalidJSON` when the value cannot be encoded.
    /// - Complexity: O(n) in the encoded size.
    public init(encoding value: some Encodable) throws(GeometryError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw GeometryError.invalidJSON(offset: 0, reason: "cannot encode \(type(of: value)): \(error)")
        }
        self = try JSONValue(parsing: data).sortingKeys()
    }
}
