import Foundation
import PostGIS
import Store
import Synchronization

/// A database served by `graveatlas serve URL`: read from one snapshot into a GeoPackage in a
/// private temporary folder, which the server reads as it reads any store, and kept in step
/// with the database. After each write the database notifies (or that its change mark shows),
/// the database's digests of its rows, by table and bucket of keys (`RowFingerprints`), are
/// read again and compared with those of the state the copy holds: only the buckets that
/// differ are read, and their rows written into the copy in one transaction
/// (`SiteStore.refreshRows`). A change that touches many buckets (a large import) reads the
/// whole database again beside the copy and writes what differs (`SiteStore.takeRows(from:)`).
/// Either way the server sees it as it sees an import into a file: its caches are dropped and
/// the next request answers from the new state.
///
/// ```swift
/// let served = try await ServedDatabase.open(db)
/// let following = Task { await served.follow() }
/// … serve served.store …
/// following.cancel(); served.remove()
/// ```
/// Several servers on one database each keep their own copy: all answer from the same state
/// once each has caught up.
final class ServedDatabase: Sendable {
    let db: PostGISStore
    let folder: PrivateFolder
    /// The GeoPackage served.
    let store: String
    /// The copy, open for the refreshes' writes from the start to the end, rather than opened
    /// and closed (with a full checkpoint) at each refresh.
    private let writer: SiteStore
    /// The digests of the state the copy holds.
    private let held: Mutex<RowFingerprints>

    private init(db: PostGISStore, folder: PrivateFolder, store: String, writer: SiteStore, fingerprints: RowFingerprints) {
        self.db = db
        self.folder = folder
        self.store = store
        self.writer = writer
        held = Mutex(fingerprints)
    }

    static func open(_ db: PostGISStore) async throws -> ServedDatabase {
        let (folder, store, opened) = try await PrivateFolder.reading(db, label: "serve", purpose: "serve it") { store in
            (fingerprints: try await StoreCopy.snapshotToFollow(of: db.url, into: store),
             writer: try SiteStore(path: store, access: .readWrite))
        }
        return ServedDatabase(db: db, folder: folder, store: store, writer: opened.writer, fingerprints: opened.fingerprints)
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

    /// Writes what changed in the database into the served copy: the buckets that changed, or
    /// (many changed) the whole database read again and compared.
    /// - Returns: the rows written.
    func refresh() async throws -> Int {
        let before = held.withLock { $0 }
        let writer = writer
        if let changed = try await db.changedRows(since: before) {
            // Nothing changed (a write rolled back moves the change mark too): nothing written,
            // and the server's caches stay.
            guard !changed.parts.isEmpty else { return 0 }
            let parts = changed.parts
            let rows = try await OwnThread.run { try writer.refreshRows(parts) }
            held.withLock { $0 = changed.fingerprints }
            return rows
        }
        let next = folder.path + "/next.gpkg"
        Self.removeStore(next)
        defer { Self.removeStore(next) }
        let fingerprints = try await StoreCopy.snapshotToFollow(of: db.url, into: next)
        let rows = try await OwnThread.run { try writer.takeRows(from: next) }
        held.withLock { $0 = fingerprints }
        return rows
    }

    /// Closes the copy and removes its folder.
    func remove() {
        try? writer.close()
        folder.remove()
    }

    private static func removeStore(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
