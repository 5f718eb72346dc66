import Foundation

/// Where a tile export is published: the absolute `http` or `https` URL of the folder that
/// serves its files, from which its TileJSON and style give every URL absolute.
///
/// ```swift
/// let base = try TileBaseURL("https://maps.example.org/atlas/")
/// base.resolving("{z}/{x}/{y}.mvt")   // "https://maps.example.org/atlas/{z}/{x}/{y}.mvt"
/// ```
/// A trailing slash or none means the same folder (`…/atlas` is `…/atlas/`); a host alone is
/// the site's root. Refused, each with its reason: a relative URL (`atlas/`), another scheme
/// (`ftp:`, `file:`), no host, a user or password (a published style would show it), a query
/// or fragment (tile addresses are added to the path), spaces, and `{` or `}` (they would read
/// as template placeholders).
public struct TileBaseURL: Hashable, Sendable, CustomStringConvertible {
    /// The URL without trailing slashes: `https://maps.example.org/atlas`.
    public let text: String

    public var description: String { text }

    /// - Throws: `ExportError.invalidOption` naming the URL and what is wrong with it.
    public init(_ given: String) throws {
        func refuse(_ reason: String) -> ExportError {
            .invalidOption("--base-url '\(given)' \(reason) (give the absolute URL the export is served from, "
                + "such as https://maps.example.org/atlas/)")
        }
        if given.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" }) {
            throw refuse("holds a space, '{' or '}'")
        }
        guard let url = URLComponents(string: given), let scheme = url.scheme?.lowercased() else {
            throw refuse("is not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else { throw refuse("is not an http or https URL") }
        guard let host = url.host, !host.isEmpty else { throw refuse("names no host") }
        guard url.user == nil, url.password == nil else { throw refuse("holds a user or password") }
        guard url.query == nil, url.fragment == nil else { throw refuse("has a query or fragment") }
        var text = given
        while text.hasSuffix("/") { text.removeLast() }
        self.text = text
    }

    /// `relative` (a path below the base, no leading slash) as an absolute URL.
    public func resolving(_ relative: String) -> String { text + "/" + relative }
}
