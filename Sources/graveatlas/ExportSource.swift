import Export
import Foundation
import Geometry
import PostGIS
import Store

/// What a layer export reads from a store, whichever engine holds it: the grid, the columns
/// for an audience, the state to name in the manifest, and every site in the published order.
protocol ExportSource {
    /// The store's generalisation grid.
    func grid() throws -> GeneralisationGrid
    /// The columns an export for `view` writes (`OutputColumns.discover`).
    func columns(view: AudienceView) throws -> OutputColumns
    /// The audit chain's head: the state the export is made from.
    func auditHead() throws -> String?
    /// What the manifest records of the store (`SiteStore.identity()`).
    func identity() throws -> [String: String]
    /// Every site in the `PublishedOrder` for `view` (store order at `internal`).
    func forEachPublishedSite(view: AudienceView, _ body: (ListedSite) throws -> Void) throws
    func close()
}

extension ExportRun {
    /// The store `store` names (a GeoPackage path or a `postgresql://` URL), opened for
    /// reading, as an export reads it.
    /// `copyOf`: the database `store` (a GeoPackage) was copied from, which its manifest names.
    static func exportSource(_ store: String, copyOf database: String? = nil) throws -> any ExportSource {
        if PostgresURL.isPostgresURL(store) {
            let db = PostGISStore(url: try PostgresURL(store))
            try Blocking.wait { try await db.requireStore() }
            return PostGISExportSource(db: db)
        }
        return GeoPackageExportSource(store: try StoreOptions.open(store, .readOnly), copyOf: database)
    }
}

struct GeoPackageExportSource: ExportSource {
    let store: SiteStore
    /// The database the store is a snapshot copy of, named in place of the file.
    var copyOf: String?

    func grid() throws -> GeneralisationGrid { try store.grid() }
    func columns(view: AudienceView) throws -> OutputColumns {
        try OutputColumns.discover(in: store, view: view, lastEventDate: true)
    }
    func auditHead() throws -> String? { try store.auditHead() }
    func identity() throws -> [String: String] {
        try copyOf.map { try store.identity(ofDatabase: $0) } ?? store.identity()
    }
    func forEachPublishedSite(view: AudienceView, _ body: (ListedSite) throws -> Void) throws {
        try store.forEachPublishedSite(view: view, body)
    }
    func close() { try? store.close() }
}

/// A PostGIS store read by the synchronous export: each question awaited (`Blocking.wait`), the
/// sites streamed from a task reading the database to the export through a `HandOver`.
struct PostGISExportSource: ExportSource {
    let db: PostGISStore

    func grid() throws -> GeneralisationGrid {
        try Blocking.wait { [db] in try await db.grid() }
    }

    func columns(view: AudienceView) throws -> OutputColumns {
        let asked = OutputColumns.questions(for: view)
        return try Blocking.wait { [db] in
            OutputColumns.discovered(view: view, lastEventDate: true,
                                     exactLanguages: try await db.nameLanguages(of: asked.exact),
                                     generalisedLanguages: try await asked.generalised.asyncMap { try await db.nameLanguages(of: $0) } ?? [],
                                     sourceFields: try await asked.sources.asyncMap { try await db.sourceAttributeFields(of: $0) } ?? [])
        }
    }

    func auditHead() throws -> String? {
        try Blocking.wait { [db] in try await db.auditHead() }
    }

    func identity() throws -> [String: String] {
        try Blocking.wait { [db] in try await db.identity() }
    }

    func forEachPublishedSite(view: AudienceView, _ body: (ListedSite) throws -> Void) throws {
        let order: PublishedOrder? = PublishedOrder.applies(to: view.audience)
            ? PublishedOrder(view: view, storeGrid: try grid(), salt: try Blocking.wait { [db] in try await db.orderSalt() })
            : nil
        let sites = HandOver<ListedSite>(capacity: 512)
        let reading = Task.detached { [db] in
            do {
                if let order {
                    try await db.forEachSite(orderedBy: { order.key(for: $0) }) { try await sites.send($0) }
                } else {
                    try await db.forEachSite { try await sites.send($0) }
                }
                sites.finish(nil)
            } catch {
                sites.finish(error)
            }
        }
        do {
            while let listed = try sites.next() { try body(listed) }
        } catch {
            // The export stopped: the reading task's next hand-over throws, and its
            // transaction is rolled back; wait for that before the error goes on.
            sites.close()
            _ = try? Blocking.wait { await reading.value }
            throw error
        }
    }

    func close() {}
}

extension Optional {
    /// `map` with an asynchronous transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
