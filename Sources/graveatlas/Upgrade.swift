import ArgumentParser
import Foundation
import PostGIS
import Store

/// `graveatlas upgrade STORE`: brings a store written by an older GraveAtlas to this
/// version's schema (what any writing command does on opening); read-only commands refuse an
/// older store rather than write to it.
struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upgrade a store written by an older graveatlas to this version's schema.",
        discussion: """
            A postgresql:// store gets the tables of this version, and the search words of every site \
            when it has none yet (read from one snapshot of the database into a private temporary \
            GeoPackage, whose search index gives them).
            """)

    @OptionGroup var options: EngineStoreOptions

    func run() throws {
        if PostgresURL.isPostgresURL(options.store) {
            let db = PostGISStore(url: try PostgresURL(options.store))
            try Blocking.wait { try await db.migrate() }
            if try !Blocking.wait({ try await db.searchIsComplete() }) {
                let copy = try Blocking.wait { try await PrivateFolder.snapshot(of: db, label: "upgrade", purpose: "find its search words") }
                defer { copy.folder.remove() }
                let count = try Blocking.wait { try await db.replaceSearchEntries(from: copy.store, read: copy.marks) }
                print("search words written for \(count) site\(count == 1 ? "" : "s")")   // the command's output
            }
            print("\(db.url) is at schema version \(PostGISStore.schemaVersionWritten)")   // the command's output (no password)
            return
        }
        let store = try options.open(.readWrite)
        try StoreFailure.run { try store.close() }
        print("\(options.store) is at schema version \(SiteStore.schemaVersion)")
    }
}
