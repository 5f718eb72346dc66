/// An API token as GraveAtlas keeps it, in a token file or a database: the SHA-256 of the
/// token (lowercase hex, never the token), the audience it opens, and its label (who holds it).
///
/// ```swift
/// AccessToken(hash: "9f86d0…", audience: .partner, label: "hrw-analysts")
/// ```
public struct AccessToken: Sendable, Equatable {
    /// Lowercase hex SHA-256 of the token's text.
    public var hash: String
    public var audience: Audience
    public var label: String

    public init(hash: String, audience: Audience, label: String) {
        self.hash = hash
        self.audience = audience
        self.label = label
    }
}
