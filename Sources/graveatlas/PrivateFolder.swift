import Foundation
import PostGIS

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

    /// - Throws: `RuntimeFailure` naming the folder when it cannot be made.
    init(label: String) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graveatlas-\(label)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw RuntimeFailure("\(url.path): cannot make a temporary folder: \(error.localizedDescription)")
        }
        path = url.path
    }

    /// Removes the folder and what it holds.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
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
        let folder = try PrivateFolder(label: label)
        let store = folder.path + "/store.gpkg"
        do {
            FileHandle.standardError.write(Data("reading \(db.url) into a temporary GeoPackage to \(purpose)\n".utf8))
            let marks = try await StoreCopy.snapshot(of: db.url, into: store)
            return Snapshot(folder: folder, store: store, marks: marks)
        } catch {
            folder.remove()
            throw error
        }
    }
}
