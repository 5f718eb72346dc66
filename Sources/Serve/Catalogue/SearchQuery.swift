/// The parameters of `/search`, checked: the words `q` (1 to `maxText` characters, not only
/// spaces) and `limit` (1…`maxLimit`, `defaultLimit` when absent).
///
/// ```swift
/// let q = try SearchQuery(["q": "Khavaran", "limit": "10"])   // q.text "Khavaran", q.limit 10
/// try SearchQuery(["q": ""])                                  // 400: q must be …
/// ```
/// The words go to the store's search as `graveatlas query search` gives them; the store quotes
/// each one, so no text can change the query's meaning.
public struct SearchQuery: Sendable, Equatable {
    static let maxText = 200
    static let defaultLimit = 100
    static let maxLimit = 1_000

    public var text: String
    public var limit: Int

    init(_ parameters: [String: String]) throws {
        try QueryParameters.only(["f", "q", "limit"], in: parameters)
        let rule = "q must be the words to find, 1 to \(Self.maxText) characters"
        guard let text = parameters["q"] else { throw QueryParameters.refuse(rule + "; it is required") }
        guard !text.allSatisfy(\.isWhitespace) else { throw QueryParameters.refuse(rule + ", not empty") }
        guard text.count <= Self.maxText else {
            throw QueryParameters.refuse(rule + ", not \(text.count) characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !$0.properties.isWhitespace }) else {
            throw QueryParameters.refuse(rule + ", without control characters")
        }
        self.text = text
        limit = try QueryParameters.whole("limit", parameters, in: 1...Self.maxLimit, default: Self.defaultLimit)
    }
}
