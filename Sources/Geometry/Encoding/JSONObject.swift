/// A JSON object: members in the order they were read or added.
///
/// ```swift
/// var o: JSONObject = ["type": "Feature"]
/// o["id"] = 7
/// o.keys   // ["type", "id"]
/// ```
/// Repeated keys (which RFC 8259 discourages but allows) are kept as read; lookup returns the
/// last, as JavaScript does, and assignment replaces them all.
///
/// - Complexity: lookup by key is O(number of members), which suits the small objects of
///   GeoJSON and site records.
public struct JSONObject: Hashable, Sendable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One `"key": value` pair.
    public typealias Member = KeyValue<JSONValue>

    public var members: [Member]

    public init(_ members: [Member] = []) { self.members = members }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member($0.0, $0.1) }
    }

    public var keys: [String] { members.map(\.key) }

    /// The value of the last member called `key`; setting replaces every member of that name
    /// in the place of the first (or appends), and `nil` removes them.
    public subscript(key: String) -> JSONValue? {
        get { members.last(where: { $0.key == key })?.value }
        set {
            guard let first = members.firstIndex(where: { $0.key == key }) else {
                if let newValue { members.append(Member(key, newValue)) }
                return
            }
            if let newValue {
                members[first].value = newValue
                if members[(first + 1)...].contains(where: { $0.key == key }) {
                    members = members.enumerated()
                        .filter { $0.offset <= first || $0.element.key != key }
                        .map(\.element)
                }
            } else {
                members.removeAll { $0.key == key }
            }
        }
    }

    /// Appends a member without looking for others of the same name.
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append(Member(key, value))
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }
}
