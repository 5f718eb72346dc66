import ArgumentParser
import Store

/// `graveatlas upgrade STORE`: brings a store written by an older GraveAtlas to this
/// version's schema (what any writing command does on opening); read-only commands refuse an
/// older store rather than write to it.
struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upgrade a store written by an older graveatlas to this version's schema.")

    @OptionGroup var options: StoreOptions

    func run() throws {
        // Opened as every command opens its store: a postgresql:// URL is refused in words
        // that leave out its password.
        let store = try options.open(.readWrite)
        try StoreFailure.run { try store.close() }
        print("\(options.store) is at schema version \(SiteStore.schemaVersion)")
    }
}
