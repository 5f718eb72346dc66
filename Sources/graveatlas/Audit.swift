import ArgumentParser
import Foundation
import PostGIS
import Store

/// `graveatlas audit verify|accept|log STORE`: the store's tamper-evident history.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, accept and show the store's tamper-evident history (the audit chain).",
        discussion: """
            Every write through graveatlas appends one chained entry (who, when, each row's content \
            before and after, and a hash over the entry and the one before it). verify recomputes the \
            chain and every row's content; accept records edits made in QGIS, GDAL or the sqlite3 shell \
            once a person has looked at them; log shows the history.
            """,
        subcommands: [AuditVerify.self, AuditAccept.self, AuditLog.self])
}

/// `graveatlas audit verify STORE`: one line per problem, then a summary; exit 1 when anything is found.
struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit chain and the content of every site, event and source.",
        discussion: """
            Prints one line per problem, naming the entry (by its seq) or the row (by its id, and its \
            name while it is still there) and the kind: entry altered, entry missing, chain broken, \
            changed outside GraveAtlas, no entry, deleted outside GraveAtlas. Then one summary line: \
            entries checked, rows checked, head hash. Exits 1 when anything is found, 0 when clean. \
            Internal audience: it names every site, whatever its sensitivity. On a postgresql:// URL it \
            reads the database's store from one snapshot into a GeoPackage in a private temporary folder \
            (TMPDIR; about as large as the store) and verifies that, with the same findings.
            """)

    @OptionGroup var options: EngineStoreOptions

    func run() async throws {
        if let db = try await options.postGIS() {
            let copy = try await PrivateFolder.snapshot(of: db, label: "audit", purpose: "verify it")
            defer { copy.folder.remove() }
            try verify(copy.store, naming: db.url.description)
        } else {
            try verify(options.store, naming: options.store)
        }
    }

    /// Verifies the GeoPackage at `path`; the failure names `name` (the database, for its copy).
    private func verify(_ path: String, naming name: String) throws {
        let store = try StoreOptions.open(path, .readOnly)
        defer { try? store.close() }
        let out = FileHandle.standardOutput
        // The command's output: each problem as it is found, then the summary.
        let summary = try StoreFailure.run {
            try store.verifyAudit { problem in out.write(Data((problem.line + "\n").utf8)) }
        }
        out.write(Data(("\(summary.entries) entries checked, \(summary.rows) rows checked, head \(summary.head ?? "none"): "
                        + (summary.problems == 0 ? "clean" : "\(summary.problems) problem\(summary.problems == 1 ? "" : "s")")
                        + "\n").utf8))
        if summary.problems > 0 {
            throw RuntimeFailure("\(name): the audit found \(summary.problems) problem\(summary.problems == 1 ? "" : "s")")
        }
    }
}

/// `graveatlas audit accept STORE --by NAME [--site ID]`.
struct AuditAccept: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Record edits made outside graveatlas (QGIS, GDAL, sqlite3) as a new entry, once a person has looked.",
        discussion: """
            Lists every row whose content no longer matches its last entry, that has none, or that \
            was deleted, with its content now, in one `accept` entry naming --by. A broken chain is \
            not accepted: verify still reports it.
            """)

    @OptionGroup var options: EngineStoreOptions

    @Option(help: "Who looked at the edits (the entry names them).")
    var by: String

    @Option(help: "Accept only this site (and its events).")
    var site: String?

    func validate() throws {
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by needs a name") }
        if let site, UUID(uuidString: site) == nil { throw ValidationError("--site \(site): not a site id (a UUID)") }
    }

    func run() throws {
        let accept = { (store: SiteStore) throws -> Int in
            try StoreFailure.run { try store.acceptAudit(by: by, site: site.flatMap(UUID.init(uuidString:))) }
        }
        let count: Int
        if let db = try Blocking.wait({ try await options.postGIS() }) {
            count = try PrivateFolder.write(into: db, label: "accept", purpose: "accept its edits", accept)
        } else {
            let store = try options.open(.readWrite)
            defer { try? store.close() }
            count = try accept(store)
        }
        // The command's output.
        print(count == 0 ? "nothing to accept" : "accepted \(count) row\(count == 1 ? "" : "s") by \(by)")
    }
}
