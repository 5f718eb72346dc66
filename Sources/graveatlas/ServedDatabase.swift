import Foundation
import PostGIS
import Store

/// A database served by `graveatlas serve URL`: read from one snapshot into a GeoPackage in a
/// private temporary folder, which the server reads as it reads any store, and kept in step
/// with the database: after each write the database notifies (or that its change mark shows),
/// a new snapshot is read beside it and the rows that differ are written into it in one
/// transaction (`SiteStore.takeRows(from:)`), which the server sees as it sees an import into a
/// file: its caches are dropped and the next request answers from the new state.
///
/// ```swift
/// let served = try await ServedDatabase.open(db)
/// let following = Task { await served.follow() }
/// … serve served.store …
/// following.cancel(); served.remove()
/// ```
/// Several servers on one database each keep their own copy: all answer from the same state
/// once each has caught up (a few seconds after a write on a small store; a million sites take
/// about as long as `copy URL file.gpkg`).
final class ServedDatabase: Sendable {
    let db: PostGISStore
    let folder: PrivateFolder
    /// The GeoPackage served.
    let store: String

    private init(db: PostGISStore, folder: PrivateFolder, store: String) {
        self.db = db
        self.folder = folder
        self.store = store
    }

    static func open(_ db: PostGISStore) async throws -> ServedDatabase {
        let copy = try await PrivateFolder.snapshot(of: db, label: "serve", purpose: "serve it")
        return ServedDatabase(db: db, folder: copy.folder, store: copy.store)
    }

    /// Follows the database's changes until cancelled; a refresh that fails says so on stderr
    /// and is tried again at the next change or check.
    func follow() async {
        await db.followChanges { [self] in
            do {
                let rows = try await refresh()
                if rows > 0 { Self.say("serve: took \(rows) changed row\(rows == 1 ? "" : "s") from \(db.url)") }
            } catch {
                Self.say("serve: cannot take the changes of \(db.url) (serving the state read before): \(error)")
            }
        }
    }

    /// Reads the database again beside the served copy and writes what differs into it.
    /// - Returns: the rows written.
    func refresh() async throws -> Int {
        let next = folder.path + "/next.gpkg"
        Self.removeStore(next)
        defer { Self.removeStore(next) }
        _ = try await StoreCopy.snapshot(of: db.url, into: next)
        let path = store
        return try await OwnThread.run {
            let served = try SiteStore(path: path, access: .readWrite)
            defer { try? served.close() }
            return try served.takeRows(from: next)
        }
    }

    func remove() { folder.remove() }

    private static func removeStore(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
