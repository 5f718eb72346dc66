import Foundation
import Import
import PostGIS
import Store

/// A folder of the system's temporary folder (TMPDIR) that only this user may read, for a
/// store written there for a while: a copy of a database to verify holds every site,
/// confidential ones included, which a folder readable by all would show to every account.
///
/// ```swift
/// let folder = try PrivateFolder(label: "audit")
/// defer { folder.remove() }
/// let copy = folder.path + "/store.gpkg"
/// ```
struct PrivateFolder {
    let path: String

    /// The folder is registered with `ImportScratch` before it is made, so that SIGINT and
    /// SIGTERM (`Interruption`) remove it, with the copy it holds, before the process ends.
    /// - Throws: `RuntimeFailure` naming the folder when it cannot be made.
    init(label: String) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graveatlas-\(label)-\(UUID().uuidString)")
        ImportScratch.register(url)
        do {
            try ImportScratch.making {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])
            }
        } catch {
            ImportScratch.remove(url)
            throw RuntimeFailure("\(url.path): cannot make a temporary folder: \(error.localizedDescription)")
        }
        path = url.path
    }

    /// Removes the folder and what it holds.
    func remove() {
        ImportScratch.remove(URL(fileURLWithPath: path))
    }
}

extension PrivateFolder {
    /// A database's store read into a private folder (`snapshot(of:label:purpose:)`).
    struct Snapshot {
        let folder: PrivateFolder
        /// The GeoPackage in it.
        let store: String
        /// What a write made on the copy needs to know of the state it holds.
        let marks: ReadMarks
    }

    /// A new private folder holding `store.gpkg`, the database's store read from one snapshot
    /// (`StoreCopy.snapshot(of:into:)`), for the commands that read or write a database through
    /// the file's code; standard error says so, naming `purpose`. The caller removes the folder.
    static func snapshot(of db: PostGISStore, label: String, purpose: String) async throws -> Snapshot {
        let (folder, store, marks) = try await reading(db, label: label, purpose: purpose) { store in
            try await StoreCopy.snapshot(of: db.url, into: store)
        }
        return Snapshot(folder: folder, store: store, marks: marks)
    }

    /// A new private folder, and `read` writing the database's store into `store.gpkg` there
    /// (standard error says so, naming `purpose`); the folder is removed when `read` throws,
    /// else by the caller.
    static func reading<T>(_ db: PostGISStore, label: String, purpose: String,
                           _ read: (_ store: String) async throws -> T) async throws -> (folder: PrivateFolder, store: String, read: T) {
        let folder = try PrivateFolder(label: label)
        let store = folder.path + "/store.gpkg"
        do {
            FileHandle.standardError.write(Data("reading \(db.url) into a temporary GeoPackage to \(purpose)\n".utf8))
            return (folder, store, try await read(store))
        } catch {
            folder.remove()
            throw error
        }
    }
}

extension PrivateFolder {
    /// A write to a database made through the file's code: the database is read into a
    /// private copy (`snapshot(of:label:purpose:)`), `body` writes the copy, and what it added,
    /// changed and removed is written into the database in one transaction
    /// (`PostGISStore.applyChanges`), refused when another writer changed the same sites
    /// meanwhile. Nothing is written when `body` throws, or when `write` is false (a dry run).
    /// The folder is removed at the end whatever happens. For a synchronous command's `run()`.
    static func write<T>(into db: PostGISStore, label: String, purpose: String, write: Bool = true,
                         _ body: (SiteStore) throws -> T) throws -> T {
        let copy = try Blocking.wait { try await snapshot(of: db, label: label, purpose: purpose) }
        defer { copy.folder.remove() }
        let before = copy.folder.path + "/before.gpkg"
        do {
            try FileManager.default.copyItem(atPath: copy.store, toPath: before)
        } catch {
            throw RuntimeFailure("\(copy.folder.path): cannot keep the copy as read: \(error.localizedDescription)")
        }
        let value: T
        do {
            let store = try StoreOptions.open(copy.store, .readWrite)
            do {
                value = try body(store)
                try store.close()
            } catch {
                try? store.close()
                throw error
            }
        } catch {
            throw CopyOfADatabase(error, copy: copy.store, database: db.url.description)
        }
        guard write else { return value }
        FileHandle.standardError.write(Data("writing the changes into \(db.url)\n".utf8))
        _ = try Blocking.wait { try await db.applyChanges(in: copy.store, since: before, read: copy.marks) }
        return value
    }
}

/// An error of a command run on a private copy of a database (`PrivateFolder.write`), told as
/// the database's: its text names the database where it named the copy; its exit status is
/// the error's own.
struct CopyOfADatabase: Error, CustomStringConvertible {
    let underlying: any Error
    let description: String

    init(_ error: any Error, copy: String, database: String) {
        underlying = error
        description = String(describing: error).replacingOccurrences(of: copy, with: database)
    }
}
