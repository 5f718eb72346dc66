import ArgumentParser
import Foundation
import PostGIS
import Store

/// `graveatlas copy FROM TO`: copies a whole store between engines (a GeoPackage path or a
/// `postgresql://` URL at either end), its history and evidence references included.
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a whole store between engines: a .gpkg path or a postgresql:// URL at either end.",
        discussion: """
            Sites, names, events, sources, their links, the audit chain and the store's settings are copied as they are \
            (ids, times, evidence hashes; `audit verify` on the copy gives the same head). Evidence files stay beside \
            the original store. TO must be a new file or an empty PostGIS database (its schema is made first); \
            a failed copy leaves it as it was. A URL's password may be given in PGPASSWORD instead.
            """)

    @Argument(help: "The store to copy: a .gpkg path or a postgresql:// URL.")
    var from: String

    @Argument(help: "Where to copy it: a new .gpkg path or a postgresql:// URL of an empty database.")
    var to: String

    func run() async throws {
        let source = try StoreLocation(from)
        let target = try StoreLocation(to)
        let counts = try await StoreCopy.run(from: source, to: target)
        let parts = [("sites", "sites"), ("site_names", "names"), ("site_events", "events"), ("sources", "sources"),
                     ("site_sources", "links"), ("audit_log", "audit entries")]
            .map { "\(counts[$0.0] ?? 0) \($0.1)" }
        // The command's output: what was copied, and where (a URL without its password).
        print("copied \(parts.joined(separator: ", ")) from \(source) to \(target)")
    }
}
