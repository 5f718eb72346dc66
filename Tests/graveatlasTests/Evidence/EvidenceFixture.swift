import Foundation
import TestSupport
import Testing

/// The demo store (from `geodata/`) in a test's own folder, with what the evidence tests need:
/// its site ids, `sha256sum` as the oracle for hashes, and file edits as an adversary makes them.
struct EvidenceFixture {
    let folder: TestFolder
    let store: String

    init() throws {
        folder = try TestFolder()
        let root = try PackageRoot.url().appendingPathComponent("geodata")
        store = folder.path("demo.gpkg")
        let made = try GraveAtlasCommand.run(["init", store])
        #expect(made.status == 0, "\(made.stderr)")
        let imported = try GraveAtlasCommand.run([
            "import", store, root.appendingPathComponent("iran-1988-damaged-sites.geojson").path,
            "--mapping", root.appendingPathComponent("iran-1988-damaged-sites.mapping.yaml").path,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
    }

    /// The store's site ids, as stored.
    func siteIDs() throws -> [String] {
        try sql("SELECT uuid FROM sites ORDER BY fid").split(separator: "\n").map(String.init)
    }

    /// One query's output, by the sqlite3 shell.
    func sql(_ query: String) throws -> String {
        let r = try runProgram("/usr/bin/sqlite3", [store, query])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .newlines)
    }

    /// `sha256sum`'s answer for a file.
    static func sha256sum(_ path: String) throws -> String {
        let r = try runProgram("/usr/bin/sha256sum", [path])
        #expect(r.status == 0, "\(r.stderr)")
        return String(r.stdout.prefix(64))
    }

    /// Flips the bits of one byte of a file (made writable first, as someone with the file can).
    static func changeOneByte(_ path: String, at offset: Int? = nil) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let at = offset ?? bytes.count / 2
        bytes[at] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Every regular file below a folder (relative paths, sorted).
    static func files(under folder: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder)
        var out: [String] = []
        while let next = walker?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + next, isDirectory: &isFolder), !isFolder.boolValue {
                out.append(next)
            }
        }
        return out.sorted()
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }
}
