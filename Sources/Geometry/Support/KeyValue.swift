/// A value under a key, one of a list that keeps its order: a member of a JSON object
/// (`JSONObject.Member`), an attribute of an imported record, a property of an exported
/// feature, an export filter's `field=value`.
///
/// ```swift
/// let member = JSONObject.Member("name", "Khavaran")
/// member.key     // "name"
/// member.value   // .string("Khavaran")
/// ```
public struct KeyValue<Value: Hashable & Sendable>: Hashable, Sendable {
    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }
}
